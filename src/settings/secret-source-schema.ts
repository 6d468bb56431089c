/** The secret-source schema lives in lib/ (contracts name secret sources too: an OpenID Connect client secret). */
export { secretSource, type SecretSource } from '../lib/secret-source-schema.ts';
