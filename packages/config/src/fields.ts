import { z } from 'zod';
import { parseDuration } from './duration';

// Field builders shared by the service schemas. Each reports errors in words an operator can act on.

export const str = (def = '') => z.string().default(def);

export const port = (def: number) =>
  z.coerce
    .number({ error: 'expected a port number' })
    .int('expected a whole port number')
    .min(1, 'expected a port number between 1 and 65535')
    .max(65535, 'expected a port number between 1 and 65535')
    .default(def);

export const int = (def: number, min: number, max: number) =>
  z.coerce
    .number({ error: 'expected a number' })
    .int('expected a whole number')
    .min(min, `expected a number between ${min} and ${max}`)
    .max(max, `expected a number between ${min} and ${max}`)
    .default(def);

export const ratio = (def: number) =>
  z.coerce
    .number({ error: 'expected a number between 0 and 1' })
    .min(0, 'expected a number between 0 and 1')
    .max(1, 'expected a number between 0 and 1')
    .default(def);

export const bool = (def: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), 'expected true or false')
    .transform((v) => ['true', '1', 'yes'].includes(v))
    .optional()
    .transform((v) => v ?? def);

/** A boolean whose default depends on other settings: undefined when unset. */
export const optionalBool = () =>
  z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), 'expected true or false')
    .transform((v) => ['true', '1', 'yes'].includes(v))
    .optional();

/** A duration such as "1s", "15m" or "720h", parsed to milliseconds. */
export const duration = (def: string) =>
  z
    .string()
    .default(def)
    .transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `expected a duration such as 1s, 15m or 24h, got "${v}"` });
        return z.NEVER;
      }
      return ms;
    });

/** A duration above zero (a lifetime or an interval), in milliseconds. */
export const positiveDuration = (def: string) =>
  duration(def).pipe(z.number().positive('expected a duration above 0, such as 1s, 15m or 24h'));

export const logLevel = (def: 'debug' | 'info' | 'warn' | 'error' = 'info') =>
  z
    .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], {
      error: 'expected one of debug, info, warn, error',
    })
    .default(def);

export const regex = (def: string) =>
  z
    .string()
    .default(def)
    .refine((v) => {
      try {
        new RegExp(v);
        return true;
      } catch {
        return false;
      }
    }, 'expected a valid regular expression');

export const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      if (v === '') return true;
      try {
        return protocols.includes(new URL(v).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    `expected a URL (${protocols.join(', ')}) or nothing`,
  );

export const sslMode = () =>
  z
    .enum(['disable', 'require', 'verify-ca', 'verify-full'], {
      error: 'expected one of disable, require, verify-ca, verify-full',
    })
    .default('disable');
