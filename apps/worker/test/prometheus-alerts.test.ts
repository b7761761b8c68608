/**
 * deploy/prometheus-alerts.yaml against what the apps really export: the real webhook server and
 * worker processes (the built binaries) sync one merge request, their metrics listeners are
 * scraped, and every metric an alert expression names must be among the scraped ones (with the
 * labels its selectors use). Also: the metrics token is enforced on both apps, and both apps'
 * /readyz show the fleet's staleness times.
 */
import { readFile } from 'node:fs/promises';
import { privateRedisUrl } from '@srcgit/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startBotHarness } from './support/bot-harness';
import type { BotHarness } from './support/bot-harness';
import { distGitMergeRequestsFor } from './support/bot-assertions';

const METRICS_TOKEN = 'alerts-test-metrics-token';
const systemEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };

interface AlertRule {
  alert?: unknown;
  expr?: unknown;
  for?: unknown;
  labels?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

/** PromQL words that are not metric names: aggregations, functions the rules call, keywords. */
const NOT_METRICS = new Set([
  ...['sum', 'min', 'max', 'avg', 'count', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile'],
  ...['rate', 'irate', 'increase', 'delta', 'time', 'absent', 'vector', 'scalar', 'histogram_quantile'],
  ...[
    'by',
    'without',
    'on',
    'ignoring',
    'group_left',
    'group_right',
    'and',
    'or',
    'unless',
    'bool',
    'offset',
  ],
]);
const GROUPING = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

/**
 * The metric selectors of a PromQL expression: each metric name with the label names its
 * matchers use. Strings, range durations and the label lists of by/on/… are skipped.
 */
function metricSelectors(expr: string): { name: string; labels: string[] }[] {
  const selectors: { name: string; labels: string[] }[] = [];
  let i = 0;
  const skipPast = (close: string): void => {
    while (i < expr.length && expr[i] !== close) i += 1;
    i += 1;
  };
  while (i < expr.length) {
    const rest = expr.slice(i);
    const number = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(rest);
    const word = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(rest);
    if (rest[0] === '"' || rest[0] === "'") {
      const quote = rest[0];
      i += 1;
      skipPast(quote);
    } else if (rest[0] === '[') {
      skipPast(']');
    } else if (number !== null) {
      i += number[0].length;
    } else if (word !== null) {
      i += word[0].length;
      const after = /^\s*/.exec(expr.slice(i))?.[0].length ?? 0;
      const next = expr[i + after];
      if (GROUPING.has(word[0]) && next === '(') {
        i += after;
        skipPast(')');
      } else if (!NOT_METRICS.has(word[0]) && next !== '(') {
        const labels: string[] = [];
        if (next === '{') {
          const end = expr.indexOf('}', i);
          const matchers = expr.slice(i + after + 1, end);
          for (const match of matchers.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"[^"]*"/g)) {
            if (match[1] !== undefined) labels.push(match[1]);
          }
          i = end + 1;
        }
        selectors.push({ name: word[0], labels });
      }
    } else {
      i += 1;
    }
  }
  return selectors;
}

/** Metric names (with a histogram's series) and the label names seen, from an exposition text. */
function exportedMetrics(text: string): Map<string, Set<string>> {
  const metrics = new Map<string, Set<string>>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (name === undefined) continue;
    const series = type === 'histogram' ? [name, `${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
    for (const one of series) metrics.set(one, new Set());
  }
  for (const [, name, labels] of text.matchAll(/^([A-Za-z_:][A-Za-z0-9_:]*)\{([^}]*)\} /gm)) {
    if (name === undefined || labels === undefined) continue;
    for (const [, label] of labels.matchAll(/([A-Za-z_][A-Za-z0-9_]*)="/g)) {
      if (label !== undefined) metrics.get(name)?.add(label);
    }
  }
  return metrics;
}

describe('metricSelectors', () => {
  it('finds metric names and their matchers, not functions, keywords, durations or grouping labels', () => {
    expect(
      metricSelectors(
        'sum by (kind) (increase(srcgit_a_total{kind="x", result=~"f.*"}[1h])) / on () srcgit_b > 0.25 and time() - max(srcgit_c) > 6 * 3600',
      ),
    ).toEqual([
      { name: 'srcgit_a_total', labels: ['kind', 'result'] },
      { name: 'srcgit_b', labels: [] },
      { name: 'srcgit_c', labels: [] },
    ]);
    expect(metricSelectors('rate(srcgit_no_such_metric_total[5m])')).toEqual([
      { name: 'srcgit_no_such_metric_total', labels: [] },
    ]);
  });
});

describe('deploy/prometheus-alerts.yaml', () => {
  let bot: BotHarness;
  let serverMetricsPort: number;
  let workerMetricsPort: number;

  beforeAll(async () => {
    bot = await startBotHarness({
      redisUrl: privateRedisUrl(),
      systemEnv,
      env: { METRICS_TOKEN },
    });
    const listening = await bot.server.waitForLine((line) => line['msg'] === 'metrics listening');
    serverMetricsPort = Number(listening['port']);
    const started = await bot.worker.waitForLine((line) => line['msg'] === 'worker started');
    workerMetricsPort = Number(started['metricsPort']);
    const sg = await bot.openMergeRequest({
      branch: 'alerts',
      files: { 'alerts.txt': 'alerts\n' },
      title: 'Alerts',
    });
    await bot.idle(120_000);
    expect(distGitMergeRequestsFor(bot, sg.iid)).toHaveLength(1);
  }, 180_000);

  afterAll(async () => {
    await bot.close();
  });

  const scrape = async (port: number, token = METRICS_TOKEN): Promise<Response> =>
    fetch(`http://127.0.0.1:${port}/metrics`, { headers: { Authorization: `Bearer ${token}` } });

  it('names only metrics (and labels) that the webhook server or the worker exports', async () => {
    const exported = new Map<string, Set<string>>();
    for (const port of [serverMetricsPort, workerMetricsPort]) {
      const response = await scrape(port);
      expect(response.status).toBe(200);
      for (const [name, labels] of exportedMetrics(await response.text())) {
        exported.set(name, new Set([...(exported.get(name) ?? []), ...labels]));
      }
    }
    const file = parse(
      await readFile(new URL('../../../deploy/prometheus-alerts.yaml', import.meta.url), 'utf8'),
    ) as { groups?: { name?: unknown; rules?: AlertRule[] }[] };
    const rules = (file.groups ?? []).flatMap((group) => group.rules ?? []);
    expect(rules.length).toBeGreaterThanOrEqual(6);
    const problems: string[] = [];
    for (const rule of rules) {
      expect(typeof rule.alert, JSON.stringify(rule)).toBe('string');
      expect(typeof rule.expr, String(rule.alert)).toBe('string');
      expect(rule.labels?.['severity'], String(rule.alert)).toMatch(/^(warning|critical)$/);
      expect(typeof rule.annotations?.['summary'], String(rule.alert)).toBe('string');
      const selectors = metricSelectors(String(rule.expr));
      expect(
        selectors.some((selector) => selector.name.startsWith('srcgit_')),
        String(rule.alert),
      ).toBe(true);
      for (const { name, labels } of selectors) {
        const known = exported.get(name);
        if (known === undefined) {
          problems.push(`${String(rule.alert)}: no app exports ${name}`);
          continue;
        }
        // Labels are checked where the scrape had samples (a counter never incremented has none).
        for (const label of known.size === 0 ? [] : labels) {
          if (!known.has(label)) problems.push(`${String(rule.alert)}: ${name} has no label ${label}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('covers silence while drift is found, failure ratio, queue age, jobs that gave up and stale syncs', async () => {
    const text = await readFile(new URL('../../../deploy/prometheus-alerts.yaml', import.meta.url), 'utf8');
    for (const metric of [
      'srcgit_last_event_received_timestamp_seconds',
      'srcgit_reconcile_drift_total',
      'srcgit_worker_jobs_total',
      'srcgit_queue_oldest_waiting_job_timestamp_seconds',
      'srcgit_worker_jobs_gave_up_total',
      'srcgit_last_successful_sync_timestamp_seconds',
    ]) {
      expect(text).toContain(metric);
    }
  });

  it('requires the metrics token on both apps, and serves no metrics on the public port without it', async () => {
    for (const port of [serverMetricsPort, workerMetricsPort]) {
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
      expect((await scrape(port, 'not-the-metrics-token')).status).toBe(401);
    }
    const publicMetrics = `${bot.serverUrl}/metrics`;
    expect((await fetch(publicMetrics)).status).toBe(401);
    const withToken = await fetch(publicMetrics, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain('srcgit_webhook_deliveries_total');
  });

  it("shows on both apps' /readyz and /metrics when the fleet last received an event and last synced", async () => {
    for (const url of [
      `${bot.serverUrl}/readyz`,
      `http://127.0.0.1:${serverMetricsPort}/readyz`,
      `http://127.0.0.1:${workerMetricsPort}/readyz`,
    ]) {
      // The worker merges its times into Redis every second: the server sees them after that.
      let report: { ready?: boolean; staleness?: Record<string, unknown> } = {};
      for (let tries = 0; tries < 50; tries += 1) {
        report = (await (await fetch(url)).json()) as typeof report;
        const synced = report.staleness?.['lastSuccessfulSync'] as Record<string, string> | undefined;
        if (synced?.['source-git-mr-opened'] !== undefined) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(report.ready, url).toBe(true);
      expect(report.staleness, url).toEqual({
        source: 'redis',
        lastEventReceived: {
          'webhook-server': expect.objectContaining({
            'source-git-mr-opened': expect.stringMatching(/^\d{4}-/) as unknown,
          }) as unknown,
          worker: expect.objectContaining({
            'source-git-mr-opened': expect.stringMatching(/^\d{4}-/) as unknown,
          }) as unknown,
        },
        lastSuccessfulSync: expect.objectContaining({
          'source-git-mr-opened': expect.stringMatching(/^\d{4}-/) as unknown,
        }) as unknown,
      });
    }
    const serverText = await (await scrape(serverMetricsPort)).text();
    expect(serverText).toMatch(
      /^srcgit_last_successful_sync_timestamp_seconds\{kind="source-git-mr-opened"\} \d{10}/m,
    );
  });
});
