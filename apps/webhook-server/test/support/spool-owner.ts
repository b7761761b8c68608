/**
 * @module
 * A webhook server instance's spool as its own process: opens its spool under `<root>`, spools
 * `<count>` deliveries, prints "spooled" and keeps running (holding its owner lock) until killed.
 *
 * Usage: `node --import tsx spool-owner.ts <root> <instanceId> <count>`
 */
import { openDeliverySpool } from '../../src/delivery-spool';

const [root = '', instanceId = '', count = '0'] = process.argv.slice(2);
const spool = await openDeliverySpool(root, { instanceId, lockHeartbeatMs: 50, lockStaleMs: 1_000 });
for (let index = 0; index < Number(count); index += 1) await spool.append({ from: instanceId, index });
process.stdout.write('spooled\n');
setInterval(() => undefined, 60_000);
