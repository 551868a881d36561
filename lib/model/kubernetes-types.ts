/**
 * The few Kubernetes shapes that travel inside Helm values, in the API's own
 * JSON spelling (values are not rendered through cdk8s' toJson helpers).
 */
export interface Volume {
  readonly name: string;
  readonly [source: string]: unknown;
}

export interface VolumeMount {
  readonly name: string;
  readonly mountPath: string;
  readonly readOnly?: boolean;
  readonly subPath?: string;
}

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: Record<string, unknown>;
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: readonly EnvVar[];
  readonly volumeMounts?: readonly VolumeMount[];
  readonly securityContext?: Record<string, unknown>;
  readonly resources?: Record<string, unknown>;
}
