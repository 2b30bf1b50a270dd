import { catalogData } from './catalogData';

export interface KeySpecInfo {
  name: string;
  /** The key usages a key of this spec can be created with. */
  usages: string[];
}

const specs = new Map(catalogData.keySpecs.map((s) => [s.name, s]));

export function findKeySpec(name: string): KeySpecInfo | undefined {
  return specs.get(name);
}

export function allKeySpecs(): readonly KeySpecInfo[] {
  return catalogData.keySpecs;
}

export function keyUsages(): readonly string[] {
  return catalogData.keyUsages;
}

export function keyOrigins(): readonly string[] {
  return catalogData.origins;
}

export function multiRegionKeyTypes(): readonly string[] {
  return catalogData.multiRegionKeyTypes;
}

/** Where the catalog data came from and when, for an About box or a `--version` line. */
export function catalogSource(): string {
  return catalogData.source;
}
