// Image references as docker's distribution/reference ParseNormalizedNamed reads them (the parser abra's
// image rules use), "semver-like" tags as coopcloud.tech/tagcmp accepts them (R005), and the parsed images
// of a view's services.
import type { Path } from '../../load/types.js';
import type { MergedView } from '../../pipeline/recipe.js';
import { parseSubstitution, scanTemplate } from '../../interpolate/scan.js';
import type { RuleContext } from '../rule.js';
import { valueAt } from '../../load/path.js';

export interface ImageReference {
  /** Domain, e.g. `docker.io`, `ghcr.io`, `localhost:5000` (normalised: `docker.io` when absent). */
  domain: string;
  /** Repository path, e.g. `library/nginx`. */
  path: string;
  tag?: string;
  digest?: string;
}

export type ImageParse = { ok: true; ref: ImageReference } | { ok: false; reason: string };

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const IPV6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const DOMAIN = new RegExp(`^(?:${DOMAIN_NAME}|${IPV6})(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*):([0-9a-fA-F]{32,})$/;
const DIGEST_LENGTHS: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
const HEX64 = /^[a-f0-9]{64}$/;
const MAX_NAME_LENGTH = 255;

/** Parses an image reference; never throws. */
export function parseImageReference(image: string): ImageParse {
  if (image === '') return { ok: false, reason: 'the reference is empty' };
  if (HEX64.test(image)) return { ok: false, reason: 'a 64-character hexadecimal string is an image id, not a reference' };
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const m = DIGEST.exec(digest);
    if (!m) return { ok: false, reason: `${JSON.stringify(digest)} is not a valid digest` };
    const want = DIGEST_LENGTHS[m[1]];
    if (want === undefined) return { ok: false, reason: `unsupported digest algorithm ${JSON.stringify(m[1])}` };
    if (m[2].length !== want || m[2] !== m[2].toLowerCase()) return { ok: false, reason: `${JSON.stringify(digest)} is not a valid ${m[1]} digest` };
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return { ok: false, reason: `${JSON.stringify(tag)} is not a valid tag` };
  }
  if (rest.length > MAX_NAME_LENGTH) return { ok: false, reason: `the repository name is longer than ${MAX_NAME_LENGTH} characters` };
  const slash = rest.indexOf('/');
  let domain = 'docker.io';
  let path = rest;
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      domain = first;
      path = rest.slice(slash + 1);
      if (!DOMAIN.test(domain)) return { ok: false, reason: `${JSON.stringify(domain)} is not a valid registry` };
    }
  }
  if (path === '') return { ok: false, reason: 'the repository name is empty' };
  if (path !== path.toLowerCase()) return { ok: false, reason: 'the repository name must be lowercase' };
  if (!path.split('/').every((c) => PATH_COMPONENT.test(c))) return { ok: false, reason: `${JSON.stringify(path)} is not a valid repository name` };
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  const ref: ImageReference = { domain, path };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return { ok: true, ref };
}

export interface SemverLikeTag {
  usesV: boolean;
  /** The dot-separated numbers, 1 to 3 of them. */
  release: number[];
  /** Text after the first `-` (e.g. `alpine`, `rootless`, `social-amd64`); empty when none. */
  suffix: string;
}

export type TagParse = { ok: true; tag: SemverLikeTag } | { ok: false; reason: string };

// tagcmp's exported patterns: tags it refuses outright.
const COMMIT_HASH = /^[a-f0-9]{7,40}$/;
const ONLY_LETTERS = /^[a-zA-Z]+$/;
const PARAMETRIZED = /\$\{.+\}/;
const DOT_PAIR = /(?<![0-9])([0-9]+)\.([0-9]+)/g;
const NUMBER = /^[0-9]+$/;

/**
 * Whether a tag is "semver-like" the way coopcloud.tech/tagcmp (Renovate's docker versioning, made
 * stricter) accepts it: an optional `v`, one to three dot-separated numbers, and an optional `-suffix`
 * (`5`, `2.6`, `v1.0.2`, `6.2.1-alpine`, `1.14.0-rootless`, `17-3.5`). Refused: words (`latest`, `stable`),
 * commit-like hex (also all-digit dates such as `20191109`), a second version in the tag (`1.2.3.4`,
 * `10.0.1-3.1`), pre-release letters glued to a number (`3.7.0b1`), unexpanded `${…}`.
 */
export function parseSemverLikeTag(tag: string): TagParse {
  if (tag === '') return { ok: false, reason: 'the tag is empty' };
  if (PARAMETRIZED.test(tag)) return { ok: false, reason: 'the tag contains an unexpanded variable' };
  if (ONLY_LETTERS.test(tag)) return { ok: false, reason: 'the tag is a word, not a version' };
  if (COMMIT_HASH.test(tag)) return { ok: false, reason: 'the tag looks like a commit hash or a date, not a version' };
  if ((tag.match(DOT_PAIR) ?? []).length > 1) return { ok: false, reason: 'the tag contains more than one version' };
  const usesV = tag.startsWith('v');
  const body = usesV ? tag.slice(1) : tag;
  const dash = body.indexOf('-');
  const version = dash >= 0 ? body.slice(0, dash) : body;
  const suffix = dash >= 0 ? body.slice(dash + 1) : '';
  if (dash >= 0 && suffix === '') return { ok: false, reason: 'the tag ends with `-`' };
  const parts = version.split('.');
  if (parts.length > 3 || !parts.every((p) => NUMBER.test(p))) {
    return { ok: false, reason: 'the tag does not start with a version of 1 to 3 dot-separated numbers' };
  }
  return { ok: true, tag: { usesV, release: parts.map(Number), suffix } };
}

export interface ServiceImage {
  service: string;
  /** The merged (interpolated) image. */
  image: string;
  mergedPath: Path;
  parsed: ImageParse;
}

/** Services of the view with a non-empty image (R011 reports missing and empty ones). */
export function serviceImages(view: MergedView): ServiceImage[] {
  const out: ServiceImage[] = [];
  for (const [service, def] of Object.entries(view.config.services ?? {})) {
    const image = def?.image;
    if (typeof image !== 'string' || image === '') continue;
    out.push({ service, image, mergedPath: ['services', service, 'image'], parsed: parseImageReference(image) });
  }
  return out;
}

/**
 * The substitutions written in the raw value behind `mergedPath` that the view leaves unset or empty, as
 * written (`${tag}`): what a message about an emptied value must name, since that is what the user fixes.
 */
export function emptiedSubstitutions(ctx: RuleContext, view: MergedView, mergedPath: Path): string[] {
  const origin = view.origin(mergedPath);
  const doc = origin ? ctx.recipe.composeFile(origin.file)?.doc : undefined;
  const raw = origin && doc ? valueAt(doc.data, origin.path) : undefined;
  return typeof raw === 'string' ? emptiedIn(raw, view.env) : [];
}

/** The substitutions of `raw`, as written (`${tag}`), that render empty under `env` (unset, no default). */
export function emptiedIn(raw: string, env: (name: string) => string | undefined): string[] {
  if (!raw.includes('$')) return [];
  const out: string[] = [];
  for (const token of scanTemplate(raw)) {
    if ((token.kind !== 'braced' && token.kind !== 'unbraced') || token.body === undefined) continue;
    const { variable, operator, argument } = parseSubstitution(token.body);
    const value = env(variable);
    const rendered = value === undefined ? (operator === '-' || operator === ':-' ? argument : '') : value === '' && operator === ':-' ? argument : value;
    if (rendered === '') out.push(raw.slice(token.start, token.end));
  }
  return out;
}
