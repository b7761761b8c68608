/**
 * @module
 * The staleness gauges on the worker's registry (the server registers the same in its intake
 * metrics): fleet-wide, read from the staleness board at scrape time.
 */
import { STALENESS_GAUGES } from '@srcgit/core/internal';
import type { StalenessReport } from '@srcgit/core/internal';
import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

/**
 * Registers `srcgit_last_event_received_timestamp_seconds{kind,by}` and
 * `srcgit_last_successful_sync_timestamp_seconds{kind}` in `registry`, valued from `read()`.
 *
 * @example
 * registerStalenessGauges(registry, () => staleness.read());
 */
export function registerStalenessGauges(registry: Registry, read: () => Promise<StalenessReport>): void {
  for (const gauge of STALENESS_GAUGES) {
    new Gauge({
      name: gauge.name,
      help: gauge.help,
      labelNames: gauge.labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        for (const sample of gauge.samples(await read())) this.set(sample.labels, sample.value);
      },
    });
  }
}
