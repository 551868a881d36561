/**
 * The name this command marks what it owns with: the server-side apply field
 * manager and `app.kubernetes.io/managed-by` label of its Kubernetes objects,
 * and the value of the ownership attribute of its Keycloak client.
 */
export const OWNER = 'thinkube-jupyterhub-bootstrap';
