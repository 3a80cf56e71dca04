// `npm run worker`: a scale-out worker process; prints where its health endpoint is and stops
// gracefully on SIGTERM/SIGINT (its unfinished tasks go back to the queue for another worker).
import { PluginDeclarationError } from './plugin/validate-plugin.ts';
import { startWorker } from './worker.ts';

async function main(): Promise<void> {
  const worker = await startWorker();
  process.stdout.write(`Speech Model Hub worker ${process.pid} consuming tasks; health on ${worker.url}/health\n`);
  const stop = (signal: string) => {
    worker.close().then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`worker shutdown failed on ${signal}: ${error.stack}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  const message = error instanceof PluginDeclarationError || (error instanceof Error && error.message.startsWith('config')) ? error.message : (error as Error).stack;
  process.stderr.write(`worker failed to start: ${message}\n`);
  process.exit(1);
});
