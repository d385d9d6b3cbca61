import { Hono } from "hono";
import { z } from "zod";
import { compilePackRow, storePackRevision } from "../db/domain-packs";
import { evaluateTier1, loadDomainPack } from "../eval";
import { requireApiKey } from "../http/auth";
import type { AppEnv } from "../http/context";
import { ApiError, badRequest, notFound } from "../http/problem";
import { jsonBody, queryParams, readBodyText } from "../http/validate";
import { domainNameSchema, traceInputSchema } from "../schema/trace";
import { listPacks, packSummary, resolvePack } from "../services/domains";

/** Domain packs: the built-in ones and each organization's own, versioned. */
export const domainsApi = new Hono<AppEnv>();

const MAX_PACK_BYTES = 256_000;
const PACK_MEDIA_TYPE = /^(application\/(json|yaml|x-yaml)|text\/(yaml|x-yaml|plain))\b/i;

domainsApi.post("/", requireApiKey("admin"), async (c) => {
  const type = c.req.header("Content-Type") ?? "application/json";
  if (!PACK_MEDIA_TYPE.test(type)) {
    throw new ApiError(
      415,
      "unsupported-media-type",
      "Unsupported media type",
      `Send the pack as application/json or application/yaml (got '${type}')`,
    );
  }
  const source = await readBodyText(c.req.raw, MAX_PACK_BYTES);
  if (source.trim() === "") throw badRequest("The request body is empty; send a domain pack in YAML or JSON");
  const loaded = loadDomainPack(source);
  if (!loaded.ok) {
    const errors = loaded.errors.map((e) => ({ path: e.path || "(body)", message: e.message }));
    throw badRequest(
      `The domain pack is invalid: ${errors.length} problem(s), first at ${errors[0]?.path}`,
      errors,
    );
  }
  const row = await storePackRevision(c.var.db, c.var.caller.orgId, loaded.pack, c.var.caller.actor);
  return c.json(
    { ...packSummary(loaded.pack, "custom", row.version), created_at: new Date(row.createdAt).toISOString() },
    201,
  );
});

domainsApi.get("/", requireApiKey("traces:read"), async (c) =>
  c.json({ data: await listPacks(c.var.db, c.var.caller.orgId) }),
);

const nameParam = (raw: string) => {
  const parsed = domainNameSchema.safeParse(raw);
  if (!parsed.success) throw notFound(`Domain pack '${raw}'`);
  return parsed.data;
};

const showQuerySchema = z.strictObject({ revision: z.coerce.number().int().positive().optional() });

domainsApi.get("/:name", requireApiKey("traces:read"), async (c) => {
  const name = nameParam(c.req.param("name"));
  const { revision } = queryParams(c, showQuerySchema);
  const resolved = await resolvePack(c.var.db, c.var.caller.orgId, name);
  if (!resolved) throw notFound(`Domain pack '${name}'`);
  const chosen =
    revision === undefined ? resolved.revisions[0] : resolved.revisions.find((r) => r.version === revision);
  if (revision !== undefined && !chosen) throw notFound(`Revision ${revision} of domain pack '${name}'`);
  const pack = chosen ? compilePackRow(chosen) : resolved.pack;
  return c.json({
    ...packSummary(pack, resolved.source, chosen?.version ?? null),
    definition: pack.definition,
    revisions: resolved.revisions.map((r) => ({
      revision: r.version,
      version: r.packVersion,
      content_hash: r.contentHash,
      created_by: r.createdBy,
      created_at: new Date(r.createdAt).toISOString(),
    })),
  });
});

domainsApi.post("/:name/dry-run", requireApiKey("traces:read"), async (c) => {
  const name = nameParam(c.req.param("name"));
  const resolved = await resolvePack(c.var.db, c.var.caller.orgId, name);
  if (!resolved) throw notFound(`Domain pack '${name}'`);
  const trace = await jsonBody(c, traceInputSchema);
  const result = evaluateTier1(trace, { packs: new Map([[name, resolved.pack]]), domain: name });
  return c.json({
    pack: packSummary(resolved.pack, resolved.source, resolved.revisions[0]?.version ?? null),
    ...result,
  });
});
