import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import { POST_LOGOUT_ATTRIBUTE } from './desired-client.js';

export interface ClientDiff {
  /** Names of the owned fields that differ, e.g. `redirectUris`, `attributes.post.logout.redirect.uris`. */
  readonly changes: readonly string[];
  /** The current representation with the desired fields laid over it: what a PUT sends. */
  readonly merged: ClientRepresentation;
}

/** Attributes whose value is a '##'-joined list, compared as sets. */
const LIST_ATTRIBUTES = new Set([POST_LOGOUT_ATTRIBUTE]);

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((value) => right.has(value));
}

function sameValue(current: unknown, desired: unknown): boolean {
  if (Array.isArray(desired)) return Array.isArray(current) && sameSet(current as string[], desired as string[]);
  return current === desired;
}

function sameAttribute(name: string, current: string | undefined, desired: string): boolean {
  if (!LIST_ATTRIBUTES.has(name)) return current === desired;
  const split = (value: string | undefined): string[] => (value ? value.split('##').filter(Boolean) : []);
  return sameSet(split(current), split(desired));
}

/** Compares only the fields `desired` names; order inside lists does not count. */
export function diffClient(current: ClientRepresentation, desired: ClientRepresentation): ClientDiff {
  const changes: string[] = [];
  for (const [key, value] of Object.entries(desired)) {
    if (key === 'attributes') continue;
    if (!sameValue(current[key as keyof ClientRepresentation], value)) changes.push(key);
  }
  const currentAttributes = (current.attributes ?? {}) as Record<string, string | undefined>;
  for (const [name, value] of Object.entries((desired.attributes ?? {}) as Record<string, string>)) {
    if (!sameAttribute(name, currentAttributes[name], value)) changes.push(`attributes.${name}`);
  }
  const merged: ClientRepresentation = {
    ...current,
    ...desired,
    attributes: { ...current.attributes, ...desired.attributes },
  };
  return { changes, merged };
}
