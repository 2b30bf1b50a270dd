import type { JSONPath } from 'jsonc-parser';
import { readPackageJson } from '../packageFiles';

/** The part of JSON Schema draft 7 that schemas/kms-scenarios.schema.json uses. */
interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  oneOf?: SchemaNode[];
  definitions?: Record<string, SchemaNode>;
}

/** A property the schema allows at a place, for completion. */
export interface SchemaProperty {
  name: string;
  description?: string;
  required: boolean;
  /** The JSON type the value takes (first of several), to insert a matching empty value. */
  type?: string;
  enum?: string[];
}

let root: SchemaNode | undefined;

/** The scenario schema shipped in schemas/, so completion and validation can never disagree. */
function schema(): SchemaNode {
  return (root ??= readPackageJson<SchemaNode>('schemas/kms-scenarios.schema.json'));
}

function resolve(node: SchemaNode | undefined): SchemaNode | undefined {
  let current = node;
  for (let hops = 0; current?.$ref && hops < 8; hops++) {
    const name = current.$ref.replace(/^#\/definitions\//, '');
    current = schema().definitions?.[name];
  }
  return current;
}

/** The schema of the value at `path`, following properties, additionalProperties and items. */
export function scenarioSchemaAt(path: JSONPath): SchemaNode | undefined {
  let node = resolve(schema());
  for (const segment of path) {
    if (!node) return undefined;
    if (typeof segment === 'number') node = resolve(node.items);
    else {
      const next: SchemaNode | boolean | undefined = node.properties?.[segment] ?? node.additionalProperties;
      node = typeof next === 'object' ? resolve(next) : undefined;
    }
  }
  return node;
}

/** The properties the object at `path` may have. */
export function scenarioPropertiesAt(path: JSONPath): SchemaProperty[] {
  const node = scenarioSchemaAt(path);
  const required = new Set(node?.required ?? []);
  return Object.entries(node?.properties ?? {}).map(([name, raw]) => {
    const p = resolve(raw);
    const type = Array.isArray(p?.type) ? p?.type[0] : p?.type ?? (p?.oneOf ? resolve(p.oneOf[0])?.type as string | undefined : undefined);
    const description = raw.description ?? p?.description;
    const values = p?.enum?.filter((v): v is string => typeof v === 'string');
    return {
      name,
      required: required.has(name),
      ...(description ? { description } : {}),
      ...(type ? { type } : {}),
      ...(values?.length ? { enum: values } : {}),
    };
  });
}

/** The values the schema enumerates for the value at `path` (keySpec, expect, grant Operations). */
export function scenarioEnumAt(path: JSONPath): string[] {
  const node = scenarioSchemaAt(path);
  return (node?.enum ?? []).filter((v): v is string => typeof v === 'string');
}
