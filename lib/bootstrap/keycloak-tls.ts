import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { rootCertificates } from 'node:tls';
import { BootstrapError } from './errors.js';
import { ExitCode } from './exit-codes.js';

export interface KeycloakTlsOptions {
  /** PEM bundle of a private CA to trust in addition to the system roots. */
  readonly caFile?: string;
  /** Skip certificate verification (for a throwaway test Keycloak only). */
  readonly insecure?: boolean;
}

/** What the admin client passes to fetch with every request. */
export type RequestOptions = Omit<RequestInit, 'signal'>;

interface UndiciModule {
  Agent: new (options: { connect: { ca?: string[]; rejectUnauthorized?: boolean } }) => object;
}

/**
 * Fetch options for the admin client: undefined (Node's default verification
 * against the system roots) unless a CA file or `insecure` asks for a
 * dispatcher of its own. The dispatcher is scoped to the Keycloak requests;
 * the process's other connections keep verifying.
 */
export function keycloakRequestOptions(options: KeycloakTlsOptions): RequestOptions | undefined {
  if (!options.caFile && !options.insecure) return undefined;
  let ca: string[] | undefined;
  if (options.caFile) {
    try {
      ca = [...rootCertificates, readFileSync(options.caFile, 'utf8')];
    } catch (error) {
      throw new BootstrapError(`--ca-file ${options.caFile} cannot be read: ${(error as Error).message}`, ExitCode.usage);
    }
  }
  // undici is Node's own fetch implementation (its Agent is what fetch's
  // `dispatcher` takes); loaded only when needed.
  let undici: UndiciModule;
  try {
    undici = createRequire(import.meta.url)('undici') as UndiciModule;
  } catch {
    throw new BootstrapError('--ca-file and --insecure need the undici package: npm install undici@6', ExitCode.usage);
  }
  const dispatcher = new undici.Agent({ connect: { ca, rejectUnauthorized: !options.insecure } });
  return { dispatcher } as RequestOptions;
}
