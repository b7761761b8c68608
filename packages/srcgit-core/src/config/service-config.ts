/**
 * @module
 * The bot's service configuration (docs/bot-behaviour.md §4.3): one validated record built from
 * environment variables and an optional YAML file by `parseServiceConfig`.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONVERSION_LIMITS } from '@srcgit/dist-git-converter';
import { z } from 'zod';

/** A regular expression given as text; validated by compiling it. */
const regexText = z.string().refine(
  (text) => {
    try {
      new RegExp(text);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'a valid regular expression' },
);

/** A project namespace path such as `redhat/centos-stream/src` (no leading or trailing slash). */
const namespacePath = z
  .string()
  .regex(
    /^[A-Za-z0-9_.][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_.][A-Za-z0-9_.-]*)*$/,
    'a namespace path like group/subgroup',
  );

const httpUrl = z
  .string()
  .url('an http(s) URL')
  .refine((text) => /^https?:\/\//.test(text), { message: 'an http(s) URL' })
  .transform((text) => text.replace(/\/+$/, ''));

/**
 * One source-git → dist-git route: merge requests into projects directly under
 * `sourceGitNamespace` whose target branch fully matches `branches` are mirrored into the project of
 * the same package name under `distGitNamespace` (the dist-git branch is the MR's target branch).
 */
export const namespaceMappingSchema = z.strictObject({
  sourceGitNamespace: namespacePath,
  distGitNamespace: namespacePath,
  /** Regular expression the MR target branch must fully match (docs/bot-behaviour.md §1 target filter). */
  branches: regexText.default('.+'),
  /** Add CentOS Stream's "start the pipeline yourself" hint to the dist-git MR description. */
  addRunPipelineHint: z.boolean().default(false),
});
export type NamespaceMapping = z.infer<typeof namespaceMappingSchema>;

/** How transient failures are retried by the worker. */
export const retryPolicySchema = z.strictObject({
  attempts: z.number().int().min(1).max(100).default(5),
  baseDelayMs: z.number().int().min(0).default(30_000),
  maxDelayMs: z.number().int().min(0).default(600_000),
});
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

/** The fork branch template must name both parts of a pairing's identity. */
const forkBranchTemplate = z
  .string()
  .refine((text) => text.includes('{sgIid}') && text.includes('{dgBranch}'), {
    message: 'a template containing {dgBranch} and {sgIid}, e.g. {dgBranch}-src-{sgIid}',
  })
  .refine((text) => !/\{(?!dgBranch\}|sgIid\})[^}]*\}/.test(text), {
    message: 'only the placeholders {dgBranch} and {sgIid}',
  });

/** The validated service configuration. */
export const serviceConfigSchema = z
  .strictObject({
    gitlab: z.strictObject({
      /** The instance's base URL, e.g. `https://gitlab.com`. */
      url: httpUrl,
      /** The bot's personal access token (scopes `api`, `write_repository`). Secret. */
      token: z.string().min(1, 'a non-empty token'),
      /** The bot's username; when set, checked against the token's user at start. */
      botUsername: z.string().min(1).optional(),
    }),
    webhook: z
      .strictObject({
        /** Plain shared secrets (the hooks' "Secret token"). */
        sharedSecrets: z.array(z.string().min(1)).default([]),
        /** packit's HS256 key for JWT hook tokens (`gitlab_token_secret`). */
        jwtSecret: z.string().min(1).optional(),
        /** `false` accepts deliveries without checking tokens (development only). */
        validate: z.boolean().default(true),
      })
      .prefault({}),
    redis: z
      .strictObject({
        url: z
          .string()
          .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
          .default('redis://127.0.0.1:6379'),
      })
      .prefault({}),
    /** Who may read the apps' `/metrics` (docs/bot-behaviour.md §8.2). */
    metrics: z
      .strictObject({
        /** `Authorization: Bearer <token>` for `/metrics`; required on the server's public port. Secret. */
        token: z.string().min(16, 'a token of at least 16 characters').optional(),
      })
      .prefault({}),
    server: z
      .strictObject({
        host: z.string().min(1).default('0.0.0.0'),
        port: z.number().int().min(0).max(65_535).default(8080),
      })
      .prefault({}),
    /** Explicit source-git → dist-git routing; also the MR target filter. At least one. */
    mappings: z.array(namespaceMappingSchema).min(1, 'at least one source-git → dist-git mapping'),
    /** The bot's git identity for dist-git commits. */
    git: z
      .strictObject({
        authorName: z.string().min(1).default('srcgit bot'),
        authorEmail: z.string().regex(/^[^\s<>@]+@[^\s<>@]+$/, 'an e-mail address'),
      })
      .prefault(
        // Parsed like a given value, so a missing e-mail is reported as `git.authorEmail`.
        () => ({}) as { authorEmail: string },
      ),
    /** Per-job work directories are created under it (and the repository cache, by default). */
    workDir: z
      .string()
      .min(1)
      .default(() => join(tmpdir(), 'srcgit')),
    /** Where the per-project bare repository cache lives; default `<workDir>/cache`. */
    cacheDir: z.string().min(1).optional(),
    /** Jobs the worker runs at once (never two for the same merge request). */
    concurrency: z.number().int().min(1).max(256).default(4),
    retry: retryPolicySchema.prefault({}),
    /** A job running longer than this is failed. */
    jobTimeoutMs: z.number().int().min(1_000).default(900_000),
    /** Size limits of a conversion (the converter's `limits`): a hostile MR fails with a note. */
    limits: z
      .strictObject({
        maxCommits: z.number().int().min(1).default(DEFAULT_CONVERSION_LIMITS.maxCommits),
        maxPatchBytes: z.number().int().min(1).default(DEFAULT_CONVERSION_LIMITS.maxPatchBytes),
        maxPatchSeriesBytes: z.number().int().min(1).default(DEFAULT_CONVERSION_LIMITS.maxPatchSeriesBytes),
        maxBlobBytes: z.number().int().min(1).default(DEFAULT_CONVERSION_LIMITS.maxBlobBytes),
        maxSpecBytes: z.number().int().min(1).default(DEFAULT_CONVERSION_LIMITS.maxSpecBytes),
      })
      .prefault({}),
    /** Where the source-git configuration lives in the source-git repository. */
    packageConfigPath: z.string().min(1).default('.distro/source-git.yaml'),
    /** The bot's dist-git fork branch for a source-git MR. */
    forkBranchTemplate: forkBranchTemplate.default('{dgBranch}-src-{sgIid}'),
    /** Namespace holding the bot's dist-git forks; default the bot's user namespace. */
    forkNamespace: namespacePath.optional(),
    /** First word of comment commands on source-git MRs. */
    commentCommandPrefix: z.string().regex(/^\S+$/, 'a single word such as /srcgit').default('/srcgit'),
    /** Name of the commit status reporting the dist-git MR pipeline. */
    statusCheckName: z.string().min(1).max(255).default('Dist-git MR CI Pipeline'),
    logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  })
  .superRefine((config, context) => {
    if (config.webhook.validate && config.webhook.sharedSecrets.length === 0 && !config.webhook.jwtSecret) {
      context.addIssue({
        code: 'custom',
        path: ['webhook', 'sharedSecrets'],
        message: 'a webhook secret (shared secret and/or JWT secret), or webhook validation turned off',
      });
    }
  });

/** The validated service configuration, with defaults applied. */
export type ServiceConfig = z.infer<typeof serviceConfigSchema>;
