/**
 * Reads what we need from an identity provider's SAML metadata: its entity ID, its single sign-on
 * endpoint, and the certificates it signs with. Anything else in the document is ignored.
 */
import { DOMParser, type Element } from "@xmldom/xmldom";
import type { SamlSettings } from "./config";
import { idpUrlProblem } from "./urls";

const MD = "urn:oasis:names:tc:SAML:2.0:metadata";
const DS = "http://www.w3.org/2000/09/xmldsig#";
const REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
const POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

export type MetadataResult = { ok: true; settings: Omit<SamlSettings, "metadataUrl"> } | { ok: false; problem: string };

function children(parent: Element, ns: string, name: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    const el = node as Element;
    if (node.nodeType === 1 && el.namespaceURI === ns && el.localName === name) out.push(el);
  }
  return out;
}

export function parseIdpMetadata(xml: string): MetadataResult {
  if (/<!DOCTYPE/i.test(xml)) return { ok: false, problem: "metadata must not contain a DOCTYPE" };
  let root: Element | null;
  try {
    const errors: string[] = [];
    const doc = new DOMParser({
      onError: (level, message) => {
        if (level !== "warning") errors.push(message);
      },
    }).parseFromString(xml, "text/xml");
    if (errors.length) return { ok: false, problem: `metadata is not well-formed XML: ${errors[0]}` };
    root = doc.documentElement;
  } catch (err) {
    return { ok: false, problem: `metadata is not well-formed XML: ${(err as Error).message}` };
  }
  if (!root || root.namespaceURI !== MD || root.localName !== "EntityDescriptor") {
    return { ok: false, problem: "metadata must be one md:EntityDescriptor (an EntitiesDescriptor with many IdPs is not supported)" };
  }
  const entityId = root.getAttribute("entityID")?.trim();
  if (!entityId) return { ok: false, problem: "the EntityDescriptor has no entityID" };
  const [idp] = children(root, MD, "IDPSSODescriptor");
  if (!idp) return { ok: false, problem: "the metadata has no IDPSSODescriptor: it does not describe an identity provider" };

  const services = children(idp, MD, "SingleSignOnService");
  const redirect = services.find((s) => s.getAttribute("Binding") === REDIRECT);
  const post = services.find((s) => s.getAttribute("Binding") === POST);
  const chosen = redirect ?? post;
  const ssoUrl = chosen?.getAttribute("Location")?.trim();
  if (!chosen || !ssoUrl) return { ok: false, problem: "the IdP has no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding" };
  const urlProblem = idpUrlProblem(ssoUrl);
  if (urlProblem) return { ok: false, problem: `SingleSignOnService Location ${urlProblem}` };

  const signingCerts: string[] = [];
  for (const descriptor of children(idp, MD, "KeyDescriptor")) {
    const use = descriptor.getAttribute("use");
    if (use && use !== "signing") continue;
    for (const keyInfo of children(descriptor, DS, "KeyInfo")) {
      for (const data of children(keyInfo, DS, "X509Data")) {
        for (const cert of children(data, DS, "X509Certificate")) {
          const b64 = (cert.textContent ?? "").replace(/\s+/g, "");
          if (/^[A-Za-z0-9+/]+={0,2}$/.test(b64) && !signingCerts.includes(b64)) signingCerts.push(b64);
        }
      }
    }
  }
  if (signingCerts.length === 0) return { ok: false, problem: "the IdP publishes no signing certificate (KeyDescriptor/X509Certificate)" };
  return { ok: true, settings: { idpEntityId: entityId, ssoUrl, ssoBinding: redirect ? "redirect" : "post", signingCerts } };
}
