/**
 * What a person pastes into a terminal to point the AWS CLI and SDKs at the local endpoint: the endpoint URL for
 * KMS only (AWS_ENDPOINT_URL_KMS, honoured by the AWS CLI v2 and current SDKs), the Region, and the access key
 * of the identity to sign as.
 */

export interface EndpointEnvironment {
  url: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export function endpointVariables(env: EndpointEnvironment): Array<[string, string]> {
  return [
    ['AWS_ENDPOINT_URL_KMS', env.url],
    ['AWS_REGION', env.region],
    ['AWS_ACCESS_KEY_ID', env.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', env.secretAccessKey],
  ];
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `export NAME=value` lines for a POSIX shell. */
export function exportLines(env: EndpointEnvironment): string {
  return endpointVariables(env)
    .map(([name, value]) => `export ${name}=${shellQuote(value)}`)
    .join('\n');
}

/** `$env:NAME = "value"` lines for PowerShell. */
export function powershellLines(env: EndpointEnvironment): string {
  return endpointVariables(env)
    .map(([name, value]) => `$env:${name} = "${value.replace(/[`"$]/g, '`$&')}"`)
    .join('\n');
}
