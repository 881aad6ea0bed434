import { describe, expect, it } from 'vitest';
import { parseDemoArgs, parseDevArgs, UsageError } from '../../../src/local/cli-args.js';

describe('kakunin dev arguments', () => {
  it('defaults to port 8787 and .kakunin', () => {
    expect(parseDevArgs([])).toEqual({ help: false, port: 8787, dataDir: '.kakunin' });
  });

  it('reads --port, --data-dir and --help', () => {
    expect(parseDevArgs(['--port', '9000', '--data-dir', '/tmp/k', '-h'])).toEqual({
      help: true,
      port: 9000,
      dataDir: '/tmp/k',
    });
    expect(parseDevArgs(['--port=1'])).toMatchObject({ port: 1 });
  });

  it.each([
    ['--port', '0'],
    ['--port', '65536'],
    ['--port', 'abc'],
    ['--port', '-1'],
    ['--port', '80.5'],
    ['--data-dir', ' '],
    ['--nope'],
    ['extra'],
  ])('refuses %s %s', (...argv) => {
    expect(() => parseDevArgs(argv)).toThrow(UsageError);
  });
});

describe('kakunin demo arguments', () => {
  it('defaults to the local server', () => {
    expect(parseDemoArgs([])).toEqual({ help: false, url: 'http://127.0.0.1:8787' });
  });

  it('reads --url, --api-key and --data-dir', () => {
    expect(parseDemoArgs(['--url', 'http://localhost:9000/', '--api-key', 'kk_x', '--data-dir', 'd'])).toEqual({
      help: false,
      url: 'http://localhost:9000',
      apiKey: 'kk_x',
      dataDir: 'd',
    });
  });

  it.each([
    ['--url', 'ftp://x'],
    ['--url', 'not a url'],
    ['--api-key', ''],
  ])('refuses %s %s', (...argv) => {
    expect(() => parseDemoArgs(argv)).toThrow(UsageError);
  });
});
