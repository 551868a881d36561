import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { BootstrapError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';

export interface KeycloakTlsOptions {
  /** PEM bundle of a private CA to trust in addition to the system roots. */
  readonly caFile?: string;
  /** Skip certificate verification (for a throwaway test Keycloak only). */
  readonly insecure?: boolean;
}

/** What the admin client passes to fetch with every request. */
export type RequestOptions = Omit<RequestInit, 'signal'>;

type AgentClass = new (options: { connect: { ca?: string[]; rejectUnauthorized?: boolean } }) => object;

/** The symbol under which undici (Node's fetch) keeps its process-wide dispatcher. */
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

/**
 * undici's Agent, the dispatcher type Node's fetch accepts: from the undici
 * package when installed, else the class of the default dispatcher that
 * Node's bundled undici installs when it loads (a data: URL loads it
 * without touching the network).
 */
async function agentClass(): Promise<AgentClass> {
  try {
    return (createRequire(import.meta.url)('undici') as { Agent: AgentClass }).Agent;
  } catch {
    await fetch('data:,');
    const dispatcher = (globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER];
    const candidate = (dispatcher as { constructor?: AgentClass & { name: string } } | undefined)?.constructor;
    if (candidate?.name !== 'Agent') {
      throw new BootstrapError('--ca-file and --insecure need the undici package here: npm install undici@6', ExitCode.usage);
    }
    return candidate;
  }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The PEM certificates of a --ca-file. A file without one would silently
 * trust nothing extra and fail later with a misleading "not trusted".
 */
function readCaFile(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new BootstrapError(`--ca-file ${file} cannot be read: ${(error as Error).message}`, ExitCode.usage);
  }
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw new BootstrapError(`--ca-file ${file} holds a certificate that does not parse (${(error as Error).message}): pass the CA's PEM certificate`, ExitCode.usage);
    }
  }
  if (blocks.length === 0) {
    throw new BootstrapError(
      `--ca-file ${file} holds no certificate (no -----BEGIN CERTIFICATE----- block): pass the PEM certificate of the CA that signed Keycloak's`,
      ExitCode.usage,
    );
  }
  return blocks;
}

/**
 * Fetch options for the admin client: undefined (Node's default verification
 * against the system roots) unless a CA file or `insecure` asks for a
 * dispatcher of its own. The dispatcher is scoped to the Keycloak requests;
 * the process's other connections keep verifying.
 */
export async function keycloakRequestOptions(options: KeycloakTlsOptions): Promise<RequestOptions | undefined> {
  if (!options.caFile && !options.insecure) return undefined;
  const ca = options.caFile ? [...rootCertificates, ...readCaFile(options.caFile)] : undefined;
  const Agent = await agentClass();
  const dispatcher = new Agent({ connect: { ca, rejectUnauthorized: !options.insecure } });
  return { dispatcher } as RequestOptions;
}
