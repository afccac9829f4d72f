import { z } from 'zod';

/** A secret comes from an environment variable or a file; inline values only in sample files. */
export const secret = z.union([
  z.string().min(1),
  z.object({ env: z.string().min(1) }).strict(),
  z.object({ file: z.string().min(1) }).strict(),
]);
export type SecretSource = z.infer<typeof secret>;
