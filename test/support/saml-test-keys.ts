/**
 * Key pairs with self-signed certificates for the SAML tests, made fresh for each run in Node
 * (the vitest config passes them to workerd as a binding, since certificates cannot be made there).
 */
import selfsigned from "selfsigned";

export type SamlTestKey = {
  privateKey: string;
  cert: string;
};

export type SamlTestKeys = {
  /** The identity provider's signing key, published in its metadata. */
  idp: SamlTestKey;
  /** A key the service was never told about: what an attacker signs with. */
  attacker: SamlTestKey;
};

async function keyWithCert(commonName: string): Promise<SamlTestKey> {
  const pems = await selfsigned.generate([{ name: "commonName", value: commonName }], { keySize: 2048, notAfterDate: new Date(Date.now() + 2 * 24 * 3600_000) });
  return { privateKey: pems.private, cert: pems.cert };
}

export async function samlTestKeys(): Promise<SamlTestKeys> {
  const [idp, attacker] = await Promise.all([keyWithCert("idp.test"), keyWithCert("attacker.test")]);
  return { idp, attacker };
}
