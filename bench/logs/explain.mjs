/**
 * Query plans of the benchmark's scenarios, built with the app's own query
 * code (from the build under test, so the plans are those of the exact
 * filters and sort the API sends). MongoDB: the index chosen and how many
 * keys and documents a page examined. FerretDB: whether the filter, sort and
 * limit were pushed down to SQLite.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import mongoose from 'mongoose';
import { packageRoot } from './app.mjs';
import { DEPTH, scenarioList } from './scenarios.mjs';

const { MongoClient } = mongoose.mongo;

/** The compiled query modules next to the app's main.js. */
async function appQueryModules() {
  const main = path.resolve(packageRoot(), process.env.APP_MAIN ?? 'dist/main.js');
  const load = (file) => import(pathToFileURL(path.join(path.dirname(main), 'messaging', 'logs', file)).href);
  const [filter, request, cursor] = await Promise.all([load('log-filter.js'), load('logs-request.js'), load('log-cursor.js')]);
  return { ...filter, ...request, ...cursor };
}

/** Query string -> what the controller's DTO would hold (limit/offset as numbers). */
function asQuery(queryString) {
  const query = Object.fromEntries(new URLSearchParams(queryString));
  for (const key of ['limit', 'offset']) if (key in query) query[key] = Number(query[key]);
  return query;
}

function describePlan(explained) {
  if (explained.filterPushdown !== undefined) {
    return {
      plan: (explained.queryPlanner?.Plan ?? []).map((step) => step.replace(/^.*detail=/, '')).join(' | '),
      filterPushdown: explained.filterPushdown,
      sortPushdown: explained.sortPushdown,
      limitPushdown: explained.limitPushdown,
    };
  }
  const stages = [];
  for (let stage = explained.queryPlanner?.winningPlan; stage; stage = stage.inputStage ?? stage.inputStages?.[0]) {
    stages.push(stage.indexName ? `${stage.stage}(${stage.indexName})` : stage.stage);
  }
  const stats = explained.executionStats ?? {};
  return {
    plan: stages.join(' <- '),
    keysExamined: stats.totalKeysExamined,
    docsExamined: stats.totalDocsExamined,
    returned: stats.nReturned,
    millis: stats.executionTimeMillis,
  };
}

/** The plan of each scenario's page query (20 rows + 1 to learn whether a next page exists). */
export async function explainScenarios(uri) {
  const app = await appQueryModules();
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  try {
    const collection = client.db().collection('message_logs');
    const isFerret = (await client.db().admin().command({ buildInfo: 1 })).ferretdbVersion !== undefined;
    const atDepth = await collection.find({}).sort(app.NEWEST_FIRST).skip(DEPTH - 1).limit(1).next();
    const cursor = app.encodeLogCursor({ createdAt: atDepth.createdAt, id: atDepth._id.toHexString() });
    const plans = [];
    for (const [name, fixedQuery] of scenarioList()) {
      const { criteria, limit, offset, after } = app.toLogsRequest(asQuery(fixedQuery ?? `cursor=${cursor}`));
      const filter = app.buildLogFilter(criteria);
      const page = collection.find(after ? app.afterPosition(filter, after) : filter).sort(app.NEWEST_FIRST);
      // FerretDB's explain refuses an int32 skip ("expected type 'long'"); its plan is a scan either way.
      if (!isFerret) page.skip(offset);
      const explained = await page.limit(limit + 1).explain(isFerret ? 'queryPlanner' : 'executionStats');
      plans.push({ name, ...describePlan(explained) });
    }
    return plans;
  } finally {
    await client.close();
  }
}

/** Markdown table of the plans. */
export function plansTable(plans) {
  const ferret = plans.some((p) => p.filterPushdown !== undefined);
  const head = ferret
    ? ['| scenario | SQLite plan | filter pushdown | sort pushdown | limit pushdown |', '|---|---|---|---|---|']
    : ['| scenario | winning plan | keys examined | docs examined | returned | ms |', '|---|---|---:|---:|---:|---:|'];
  const rows = plans.map((p) =>
    ferret
      ? `| ${p.name} | ${p.plan} | ${p.filterPushdown} | ${p.sortPushdown} | ${p.limitPushdown} |`
      : `| ${p.name} | ${p.plan} | ${p.keysExamined} | ${p.docsExamined} | ${p.returned} | ${p.millis} |`,
  );
  return [...head, ...rows].join('\n');
}
