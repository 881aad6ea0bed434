/**
 * The stand-ins' transport in local mode: Unix domain sockets in a 0700 directory, and the AWS SDK request handler
 * that reaches them. A TCP port on 127.0.0.1 is open to every local user and process, and neither dynalite nor
 * kinesalite authenticates: anyone could `PutItem` an admin key hash, or read verified payloads from the stream,
 * bypassing the API (docs/api.md §9: nothing but the API listens). A socket file is reachable only through its
 * directory, whose permissions admit the server's own user alone.
 */
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { Agent, type ClientRequestArgs, type Server } from 'node:http';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** Linux caps a socket path at 107 bytes (macOS at 103); a longer data directory falls back to a private temp dir. */
const MAX_SOCKET_PATH = 100;

/** An http.Agent whose every connection goes to one Unix socket, whatever host and port the request names. */
class UnixSocketAgent extends Agent {
  constructor(private readonly socketPath: string) {
    super({ keepAlive: true });
  }

  override createConnection(_options: ClientRequestArgs, callback?: (error: Error | null, socket: Socket) => void) {
    const socket = createConnection(this.socketPath);
    if (callback) {
      socket.once('connect', () => callback(null, socket));
      socket.once('error', (error) => callback(error, socket));
    }
    return socket;
  }
}

/**
 * The configuration an AWS SDK v3 client needs to reach a stand-in over its socket: HTTP/1.1 (kinesalite crashes on
 * HTTP/2), a fresh handler per client (`client.destroy()` destroys it), fixed credentials so the SDK skips its
 * credential chain (the stand-ins accept any). The endpoint's host is never resolved: the agent ignores it.
 */
export interface StandInClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  requestHandler: NodeHttpHandler;
}

export function standInClientConfig(socketPath: string): StandInClientConfig {
  return {
    endpoint: 'http://localhost',
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler({ httpAgent: new UnixSocketAgent(socketPath) }),
  };
}

export interface SocketDirectory {
  path: string;
  socket(name: string): string;
  /** Removes the directory when it was a private temp dir (the data directory's own stays, empty). */
  dispose(): void;
}

/**
 * `<dataDir>/sockets` (mode 0700, enforced even if it existed) when the paths fit, else a fresh private temp dir
 * (mkdtemp creates it 0700). In memory (no data dir) always a temp dir.
 */
export function socketDirectory(dataDir: string | undefined): SocketDirectory {
  const inDataDir = dataDir === undefined ? undefined : join(dataDir, 'sockets');
  if (inDataDir !== undefined && join(inDataDir, 'kinesis.sock').length <= MAX_SOCKET_PATH) {
    mkdirSync(inDataDir, { recursive: true, mode: 0o700 });
    chmodSync(inDataDir, 0o700);
    return { path: inDataDir, socket: (name) => join(inDataDir, name), dispose: () => {} };
  }
  const temp = mkdtempSync(join(tmpdir(), 'kakunin-'));
  return {
    path: temp,
    socket: (name) => join(temp, name),
    dispose: () => rmSync(temp, { recursive: true, force: true }),
  };
}

/**
 * Listens on a Unix socket. A socket file left by a killed server would make `listen` fail (EADDRINUSE): it is
 * removed first (the data directory's LevelDB lock already keeps two servers off one directory). The socket file is
 * made 0600 as well, for systems that honour its own mode.
 */
export function listenOnSocket(server: Server, socketPath: string): Promise<void> {
  try {
    if (lstatSync(socketPath).isSocket()) unlinkSync(socketPath);
  } catch {
    // absent: nothing to clean up
  }
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      chmodSync(socketPath, 0o600);
      resolve();
    });
  });
}
