/**
 * With the default configuration the CPU instance reads as many documents at once as the
 * engine has workers, so that one document's detection runs beside another's recognition.
 * Real service process, real models.
 */
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { after, test } from 'node:test';
import { BOOK_TIFF, RECEIPT_JPG, SIMPLE_PNG, tempDataDir } from './helpers/corpus';
import { startServiceProcess, waitForFinal, type ServiceProcess } from './helpers/service-process';

let service: ServiceProcess | null = null;
after(() => service?.stop());

test(
  'two documents are read at once on the one CPU instance',
  { skip: availableParallelism() < 2 ? 'needs two cores (one engine worker each)' : false },
  async () => {
    service = await startServiceProcess(tempDataDir());
    const { client } = service;
    const submitted = await client.request('submit', {
      paths: [BOOK_TIFF, RECEIPT_JPG, SIMPLE_PNG],
    });
    assert.ok(submitted.ok, JSON.stringify(submitted));
    const ids = submitted.value.tasks.map((t) => t.id);
    const finished = await waitForFinal(client, ids, 120_000);
    for (const task of finished.values()) assert.equal(task.status, 'completed');

    const instances = new Set([...finished.values()].map((t) => t.serviceInstanceId));
    assert.equal(instances.size, 1, 'one instance served them all');

    const moments: { id: string; started: number; completed: number }[] = [];
    for (const id of ids) {
      const events = await client.request('getTaskEvents', { taskId: id });
      assert.ok(events.ok);
      const idOf = (type: string) => events.value.events.find((e) => e.type === type)?.id ?? -1;
      moments.push({ id, started: idOf('started'), completed: idOf('completed') });
    }
    const [book, receipt] = moments;
    assert.ok(
      receipt.started < book.completed,
      'the receipt started while the book page was still being read',
    );
  },
);
