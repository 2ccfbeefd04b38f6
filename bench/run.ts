// Runs every benchmark in turn and prints its figures beside its baseline: `npm run bench [gateway|store|core|recon|scenarios|swarm|vtime|startup]`.
import { printGatewayBench, runGatewayBench } from './gateway.ts';

const only = process.argv.slice(2);
const wanted = (name: string) => only.length === 0 || only.includes(name);

if (wanted('gateway')) printGatewayBench(await runGatewayBench({ seconds: 4, connections: 32, rounds: 3 }));
if (wanted('store')) {
  const { run, formatFigures } = await import('./store.ts');
  for (const line of formatFigures(await run())) console.log(line);
}
if (wanted('core')) {
  const { run } = await import('./core.ts');
  await run();
}
if (wanted('recon')) {
  const { run } = await import('./recon.ts');
  await run();
}
if (wanted('scenarios')) {
  const { runScenarioBench, formatScenarioBench } = await import('./scenarios.ts');
  for (const line of formatScenarioBench(await runScenarioBench())) console.log(line);
}
if (wanted('swarm')) {
  const { runSwarmBench, formatSwarmBench } = await import('./swarm.ts');
  for (const line of formatSwarmBench(await runSwarmBench())) console.log(line);
}
if (wanted('vtime')) {
  const { runVtimeBench, formatVtimeBench } = await import('./vtime.ts');
  for (const line of formatVtimeBench(await runVtimeBench())) console.log(line);
}
if (wanted('startup')) {
  const { runStartupBench, formatStartupBench } = await import('./startup.ts');
  for (const line of formatStartupBench(await runStartupBench())) console.log(line);
}
