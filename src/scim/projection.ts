/**
 * `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9), applied to rendered resources.
 *
 * `returned: always` attributes (id) and `schemas` are always kept; `returned: never` ones never
 * appear; `returned: request` ones only when asked for. Names that resolve to nothing are ignored,
 * as some clients send names of other resource types (Entra's `excludedAttributes=members`).
 */
import { isExtensionUrn, resolveAttribute, splitAttrPath, type AttributeRef } from "./attributes";
import { commonAttributes, type AttributeDef, type ResourceSchema, type SchemaDef } from "./schemas";
import { isObject, type Json } from "./values";

interface Selection {
  /** Whole attributes, by definition. */
  whole: Set<AttributeDef>;
  /** Sub-attributes selected per attribute. */
  subs: Map<AttributeDef, Set<AttributeDef>>;
  /** Whole extensions. */
  extensions: Set<SchemaDef>;
}

export interface Projection {
  attributes?: Selection;
  excluded?: Selection;
}

function names(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : typeof raw === "string" ? raw.split(",") : [];
  return list.filter((n): n is string => typeof n === "string").map((n) => n.trim()).filter(Boolean);
}

function select(raw: unknown, schema: ResourceSchema): Selection | undefined {
  const list = names(raw);
  if (!list.length) return undefined;
  const selection: Selection = { whole: new Set(), subs: new Map(), extensions: new Set() };
  for (const name of list) {
    const extension = isExtensionUrn(schema, name);
    if (extension) {
      selection.extensions.add(extension);
      continue;
    }
    const path = splitAttrPath(name);
    const ref: AttributeRef | undefined = path && resolveAttribute(schema, path);
    if (!ref) continue;
    if (!ref.sub) selection.whole.add(ref.attr);
    else selection.subs.set(ref.attr, (selection.subs.get(ref.attr) ?? new Set()).add(ref.sub));
  }
  return selection;
}

/** Parses the two parameters (comma-separated strings, or lists in a SearchRequest). */
export function parseProjection(attributes: unknown, excludedAttributes: unknown, schema: ResourceSchema): Projection {
  return { attributes: select(attributes, schema), excluded: select(excludedAttributes, schema) };
}

function pickSubs(value: unknown, keep: (sub: string) => boolean): unknown {
  const pick = (v: unknown) => (isObject(v) ? Object.fromEntries(Object.entries(v).filter(([k]) => keep(k))) : v);
  if (Array.isArray(value)) return value.map(pick).filter((v) => !isObject(v) || Object.keys(v).length);
  const picked = pick(value);
  return isObject(picked) && !Object.keys(picked).length ? undefined : picked;
}

function subNames(set: Set<AttributeDef> | undefined): Set<string> {
  return new Set([...(set ?? [])].map((d) => d.name));
}

function projectAttribute(attr: AttributeDef, value: unknown, extension: SchemaDef | undefined, p: Projection): unknown {
  if (attr.returned === "always") return value;
  if (attr.returned === "never") return undefined;
  const always = new Set((attr.subAttributes ?? []).filter((s) => s.returned === "always").map((s) => s.name));
  if (p.attributes) {
    const whole = p.attributes.whole.has(attr) || (extension && p.attributes.extensions.has(extension));
    if (whole) return value;
    const subs = p.attributes.subs.get(attr);
    if (!subs) return undefined;
    const wanted = subNames(subs);
    return pickSubs(value, (k) => wanted.has(k) || always.has(k));
  }
  if (attr.returned === "request") return undefined;
  if (p.excluded) {
    if (p.excluded.whole.has(attr) || (extension && p.excluded.extensions.has(extension))) return undefined;
    const dropped = subNames(p.excluded.subs.get(attr));
    if (dropped.size) return pickSubs(value, (k) => !dropped.has(k) || always.has(k));
  }
  return value;
}

function projectContainer(container: Json, defs: AttributeDef[], extension: SchemaDef | undefined, p: Projection): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(container)) {
    const attr = defs.find((d) => d.name === key);
    if (!attr) continue;
    const projected = projectAttribute(attr, value, extension, p);
    if (projected !== undefined) out[key] = projected;
  }
  return out;
}

/** Projects a rendered resource (canonical names; `schemas`, common, core and extension attributes). */
export function project(resource: Json, p: Projection, schema: ResourceSchema): Json {
  if (!p.attributes && !p.excluded) return resource;
  const coreDefs = [...commonAttributes, ...schema.core.attributes];
  const out: Json = {};
  const schemas: string[] = [schema.core.id];
  for (const [key, value] of Object.entries(resource)) {
    if (key === "schemas") {
      out.schemas = schemas; // filled in below, kept in first position
      continue;
    }
    const extension = isExtensionUrn(schema, key);
    if (extension && isObject(value)) {
      const projected = projectContainer(value, extension.attributes, extension, p);
      if (Object.keys(projected).length) {
        out[key] = projected;
        schemas.push(extension.id);
      }
      continue;
    }
    Object.assign(out, projectContainer({ [key]: value }, coreDefs, undefined, p));
  }
  return out;
}

/**
 * Whether the projection returns a core multi-valued attribute at all, so that callers can skip
 * reading values that would only be dropped (`excludedAttributes=members`).
 */
export function keepsAttribute(name: string, p: Projection, schema: ResourceSchema): boolean {
  return name in project({ [name]: [] }, p, schema);
}
