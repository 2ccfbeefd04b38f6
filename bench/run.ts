// Runs every benchmark in turn and prints its figures beside its baseline.
import { printGatewayBench, runGatewayBench } from './gateway.ts';

const only = process.argv.slice(2);
const wanted = (name: string) => only.length === 0 || only.includes(name);

if (wanted('gateway')) printGatewayBench(await runGatewayBench({ seconds: 5, connections: 32 }));
if (wanted('store')) {
  const { run } = await import('./store.ts');
  await run();
}
