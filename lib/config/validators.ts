import { z } from 'zod/v3';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const SEMVER = /^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const IMAGE = /^[a-z0-9]+([._/:@-][a-zA-Z0-9_.-]+)*$/;

export const dnsLabel = z.string().regex(DNS_LABEL, {
  message: "is not a DNS label: use lowercase letters, digits and '-', starting and ending with a letter or digit",
}).max(63, { message: 'is longer than 63 characters' });

export const dnsName = z.string().regex(DNS_NAME, {
  message: "is not a DNS name: use lowercase letters, digits, '-' and '.'",
});

export const quantity = z.string().regex(QUANTITY, {
  message: "is not a Kubernetes quantity: use a number with an optional unit such as '100Gi' or '500Mi'",
});

export const semver = z.string().regex(SEMVER, { message: "is not a chart version: use semver such as '4.4.0'" });

export const image = z.string().regex(IMAGE, { message: "is not an image reference: use 'registry/name:tag'" });

export const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}, { message: "is not an http(s) URL: use e.g. 'https://keycloak.example.com'" });

export const positive = z.number({ invalid_type_error: 'must be a number' }).positive({ message: 'must be greater than 0' });
export const nonNegativeInt = z.number({ invalid_type_error: 'must be a number' }).int({ message: 'must be a whole number' })
  .nonnegative({ message: 'must be 0 or more' });

/** An IPv4 CIDR whose host bits are zero, as NetworkPolicy's ipBlock takes it. */
export const ipv4Cidr = z.string().refine((value) => parseCidr(value) !== undefined, {
  message: "is not an IPv4 CIDR: use an address and a prefix length with the host bits zero, e.g. '192.168.1.10/32' or '10.0.0.0/8'",
});

/** `a.b.c.d/n` → [network as a 32-bit number, prefix length]; undefined when malformed or host bits are set. */
export function parseCidr(value: string): [number, number] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) return undefined;
  const address = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  const hostBits = 2 ** (32 - prefix);
  return address % hostBits === 0 ? [address, prefix] : undefined;
}

export const port = z.number({ invalid_type_error: 'must be a number' }).int({ message: 'must be a whole number' })
  .min(1, { message: 'is not a port: use 1 to 65535' }).max(65535, { message: 'is not a port: use 1 to 65535' });

export const username = z.string().min(1, { message: 'must not be empty' })
  .regex(/^[^\s/]+$/, { message: "is not a username: no spaces or '/'" });

/** How a notebook image starts: see lib/values/notebook-start.ts. */
export const NOTEBOOK_FAMILIES = ['docker-stacks', 'thinkube'] as const;
export type NotebookFamily = (typeof NOTEBOOK_FAMILIES)[number];

export const notebookFamily = z.enum(NOTEBOOK_FAMILIES, {
  errorMap: () => ({ message: `is not a start family: use ${NOTEBOOK_FAMILIES.join(' or ')}` }),
});
