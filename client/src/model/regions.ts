/** The AWS commercial Regions offered when a Region is picked (any Region name is accepted when typed). */
export const AWS_REGIONS: readonly string[] = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'af-south-1',
  'ap-east-1', 'ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ca-central-1', 'ca-west-1',
  'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1',
  'il-central-1', 'me-south-1', 'me-central-1', 'sa-east-1',
];

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** Whether `value` reads as an AWS Region name (`eu-west-1`, `us-gov-west-1`). */
export function looksLikeRegion(value: string): boolean {
  return REGION.test(value);
}
