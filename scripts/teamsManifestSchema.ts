import { z } from 'zod';

/**
 * The Teams app manifest schema v1.17 (https://developer.microsoft.com/json-schemas/teams/v1.17/
 * MicrosoftTeams.schema.json), written out in zod for the properties this app uses: the same
 * required fields, lengths, patterns, enums and item limits; unknown top-level properties are
 * refused, as the published schema's `additionalProperties: false` does. No network in tests, so
 * the schema is not fetched.
 */
const guid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a GUID');
/** The schema's `httpsUrl`: its pattern, `^[Hh][Tt][Tt][Pp][Ss]?://`, and 2048 characters. */
const httpsUrl = z.string().max(2048).regex(/^[Hh][Tt][Tt][Pp][Ss]?:\/\//, 'must be an http(s) URL');
const relativePath = z.string().max(2048);
const unique = <T extends z.ZodTypeAny>(items: z.ZodArray<T>) => items.refine((list) => new Set(list).size === list.length, 'items must be unique');
/** The schema's language tag pattern (`en-us`, `nl-nl`, `nl`). */
const languageTag = z.string().regex(/^[A-Za-z0-9]{1,8}(-[A-Za-z0-9]{1,8}){0,2}$/, 'must be a language tag like nl-nl');
const tabContext = z.enum(['personalTab', 'channelTab', 'privateChatTab', 'meetingChatTab', 'meetingDetailsTab', 'meetingSidePanel', 'meetingStage', 'teamLevelApp']);

export const teamsManifestSchema = z
  .object({
    $schema: z.string().url().optional(),
    manifestVersion: z.literal('1.17'),
    version: z.string().max(256).regex(/^([0-9]|[1-9][0-9]*)\.([0-9]|[1-9][0-9]*)\.([0-9]|[1-9][0-9]*)$/, 'must be MAJOR.MINOR.PATCH'),
    id: guid,
    packageName: z.string().max(64).regex(/^[A-Za-z0-9.\-_]+$/).optional(),
    developer: z
      .object({ name: z.string().min(1).max(32), mpnId: z.string().max(10).optional(), websiteUrl: httpsUrl, privacyUrl: httpsUrl, termsOfUseUrl: httpsUrl })
      .strict(),
    name: z.object({ short: z.string().min(1).max(30), full: z.string().min(1).max(100).optional() }).strict(),
    description: z.object({ short: z.string().min(1).max(80), full: z.string().min(1).max(4000) }).strict(),
    icons: z.object({ outline: relativePath, color: relativePath }).strict(),
    accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be #RRGGBB'),
    configurableTabs: z
      .array(
        z
          .object({
            configurationUrl: httpsUrl,
            canUpdateConfiguration: z.boolean().optional(),
            scopes: unique(z.array(z.enum(['team', 'groupChat'])).min(1).max(2)),
            context: unique(z.array(tabContext).max(8)).optional(),
            sharePointPreviewImage: relativePath.optional(),
            supportedSharePointHosts: unique(z.array(z.enum(['sharePointFullPage', 'sharePointWebPart'])).max(2)).optional(),
          })
          .strict(),
      )
      .max(1)
      .optional(),
    staticTabs: z
      .array(
        z
          .object({
            entityId: z.string().min(1).max(64),
            name: z.string().max(128).optional(),
            contentUrl: httpsUrl.optional(),
            websiteUrl: httpsUrl.optional(),
            searchUrl: httpsUrl.optional(),
            scopes: unique(z.array(z.enum(['team', 'personal', 'groupChat'])).min(1).max(3)),
            context: unique(z.array(tabContext).max(8)).optional(),
          })
          .strict(),
      )
      .max(16)
      .optional(),
    permissions: unique(z.array(z.enum(['identity', 'messageTeamMembers']))).optional(),
    validDomains: z.array(z.string().max(2048)).max(16).optional(),
    webApplicationInfo: z.object({ id: guid, resource: z.string().max(2048).optional() }).strict().optional(),
    showLoadingIndicator: z.boolean().optional(),
    isFullScreen: z.boolean().optional(),
    defaultInstallScope: z.enum(['personal', 'team', 'groupChat', 'meetings']).optional(),
    localizationInfo: z
      .object({
        defaultLanguageTag: languageTag,
        additionalLanguages: z.array(z.object({ languageTag, file: relativePath }).strict()).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type TeamsManifest = z.infer<typeof teamsManifestSchema>;

/** Every problem, one line each, naming the field: `description.short String must contain at most 80 character(s)`. */
export function teamsManifestProblems(manifest: unknown): string[] {
  const result = teamsManifestSchema.safeParse(manifest);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`);
}

/**
 * A localization file (MicrosoftTeams.Localization.schema.json v1.17) for the strings this app
 * translates: the same length limits as the manifest fields they replace, keys by their path.
 */
export const teamsLocalizationSchema = z
  .object({
    $schema: z.string().url().optional(),
    'name.short': z.string().min(1).max(30),
    'name.full': z.string().min(1).max(100).optional(),
    'description.short': z.string().min(1).max(80),
    'description.full': z.string().min(1).max(4000),
  })
  .catchall(z.string().max(128))
  .superRefine((file, context) => {
    for (const key of Object.keys(file)) {
      if (!['$schema', 'name.short', 'name.full', 'description.short', 'description.full'].includes(key) && !/^staticTabs\[([0-9]|1[0-5])\]\.name$/.test(key)) {
        context.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: 'is not a key Teams localizes' });
      }
    }
  });

export type TeamsLocalization = z.infer<typeof teamsLocalizationSchema>;

export function teamsLocalizationProblems(file: unknown): string[] {
  const result = teamsLocalizationSchema.safeParse(file);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`);
}
