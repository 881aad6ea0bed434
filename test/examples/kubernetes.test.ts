/**
 * examples/kubernetes/*.yaml validated against the Kubernetes JSON schemas that `kubernetes-models` 4.5.1 ships
 * (generated from the Kubernetes 1.27.1 OpenAPI document, compiled ajv validators: types, required fields, enums,
 * formats). kubeconform cannot be downloaded here. Like kubeconform without `-strict`, these schemas allow unknown
 * fields, so the test also checks the fields the agent relies on by name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { Pod } from 'kubernetes-models/v1/Pod';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../integration/local/dev-process.js';

// biome-ignore lint/suspicious/noExplicitAny: manifests are read as plain data
const load = (name: string): any => parse(readFileSync(join(REPO_ROOT, 'examples/kubernetes', name), 'utf8'));

describe('examples/kubernetes', () => {
  it('the agent Pod is a valid v1 Pod and keeps the guide’s hardening', () => {
    const manifest = load('agent-pod.yaml');
    expect(() => new Pod(manifest).validate()).not.toThrow();
    const [container] = manifest.spec.containers;
    expect(manifest.spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    // ToolGuard's certificatePath is /var/certs/cert.pem; the API key is an agent key from a secret, never inline.
    expect(container.volumeMounts).toContainEqual({ name: 'cert-volume', mountPath: '/var/certs', readOnly: true });
    const env = Object.fromEntries(container.env.map((e: { name: string }) => [e.name, e]));
    expect(env.KAKUNIN_API_KEY.valueFrom.secretKeyRef).toMatchObject({ name: 'kakunin-creds' });
    expect(env.KAKUNIN_API_KEY.value).toBeUndefined();
    expect(env.AGENT_ID.value).toMatch(/^a_[0-9a-z]{16,}$/);
    expect(manifest.metadata.annotations['kakunin.ai/certificate-fingerprint']).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('the NetworkPolicy is valid, allows only HTTPS and cluster DNS out, and excludes the metadata endpoint', () => {
    const manifest = load('network-policy.yaml');
    expect(() => new NetworkPolicy(manifest).validate()).not.toThrow();
    expect(manifest.spec.policyTypes).toEqual(['Egress']);
    const ports = manifest.spec.egress.flatMap((rule: { ports: { port: number }[] }) => rule.ports.map((p) => p.port));
    expect(new Set(ports)).toEqual(new Set([443, 53]));
    expect(manifest.spec.egress[0].to[0].ipBlock.except).toContain('169.254.169.254/32');
  });

  it('the validator does reject what Kubernetes would (so the checks above are not vacuous)', () => {
    const pod = load('agent-pod.yaml');
    pod.spec.containers[0].securityContext.runAsUser = 'nobody';
    expect(() => new Pod(pod).validate()).toThrow(/runAsUser/);
    const policy = load('network-policy.yaml');
    delete policy.spec.podSelector;
    expect(() => new NetworkPolicy(policy).validate()).toThrow(/podSelector/);
    const noKind = load('agent-pod.yaml');
    noKind.kind = 'Deployment';
    expect(() => new Pod(noKind).validate()).toThrow();
  });
});
