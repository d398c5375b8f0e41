import { dictionary } from '@zxcvbn-ts/language-common';

let common: Set<string> | undefined;

/**
 * The commonly used and breached passwords of @zxcvbn-ts/language-common (about 49,000 entries,
 * lower case), as a Set built once, on first use, and shared by every check after it.
 */
export function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
}
