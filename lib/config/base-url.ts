import { z } from 'zod/v3';
import { httpUrl } from './validators.js';

/**
 * An http(s) URL that other URLs are built on (`<hubUrl>/hub/oauth_callback`,
 * `<keycloak.url>/realms/...`): a query or fragment would land in the middle
 * of every derived URL, and user:password@ would put a credential into
 * Keycloak's redirect URIs, the Helm values and every log line.
 */
export const baseUrl = httpUrl.superRefine((value, context) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return; // httpUrl has said so.
  }
  const problems = [
    url.username !== '' || url.password !== '' ? 'has user information (user:password@)' : undefined,
    url.search !== '' || value.includes('?') ? 'has a query (?...)' : undefined,
    url.hash !== '' || value.includes('#') ? 'has a fragment (#...)' : undefined,
  ].filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) {
    context.addIssue({ code: z.ZodIssueCode.custom, message: `${problems.join(' and ')}: give the base URL only, e.g. '${url.origin}${url.pathname.replace(/\/+$/, '')}'` });
  }
});
