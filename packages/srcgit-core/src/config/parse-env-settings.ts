import { z } from 'zod';
import { CoreError } from '../core-error';

/** A whole number read from an environment variable, between `min` and `max` inclusive. */
export function envInteger(min: number, max: number) {
  return z
    .string()
    .regex(/^\d+$/, 'a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

/**
 * Validates the environment variables that `schema` names (each key is a variable; unset and
 * empty variables count as absent) — for an app's own settings next to the service configuration.
 *
 * @param label - what the settings are, for the message (`server settings`, `worker settings`).
 * @throws {CoreError} `CONFIG_INVALID` naming every wrong variable, what was expected and what was found.
 */
export function parseEnvSettings<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
  env: Readonly<Record<string, string | undefined>>,
  label: string,
): z.output<z.ZodObject<Shape>> {
  const present = Object.fromEntries(
    Object.keys(schema.shape).flatMap((name) => {
      const value = env[name];
      return value === undefined || value === '' ? [] : [[name, value]];
    }),
  );
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    return `${name}: expected ${issue.message.replace(/^Too (small|big): expected /i, '')}, found ${JSON.stringify(present[name])}`;
  });
  throw new CoreError('CONFIG_INVALID', `Invalid ${label}:\n${problems.map((p) => `  - ${p}`).join('\n')}`, {
    data: { problems },
  });
}
