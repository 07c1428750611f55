import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topicNamer } from '@tideline/contracts';
import { selectTopics } from '../src/index.ts';

test('selectTopics keeps the namespace’s topics of the asked kinds, of every output version, sorted', () => {
  const namer = topicNamer('t-sel');
  const existing = [
    't-sel.processed.market.WES',
    't-sel.processed.market.BHP.v2',
    't-sel.processed.geotech.piezometer',
    't-sel.alerts.geotech.v2',
    't-sel.raw.market.trades',
    't-sel.late.geotech-10s',
    't-sel.dlq.sink-postgres',
    't-sel.dlq.processor',
    'processed.market.BHP',
    't-other.processed.market.BHP',
    't-sel.processed.market.bhp',
  ];
  assert.deepEqual(selectTopics(namer, existing, ['processed', 'alerts']), [
    't-sel.alerts.geotech.v2',
    't-sel.processed.geotech.piezometer',
    't-sel.processed.market.BHP.v2',
    't-sel.processed.market.WES',
  ]);
  assert.deepEqual(selectTopics(namer, existing, ['late', 'dlq'], ['t-sel.dlq.sink-postgres']), [
    't-sel.dlq.processor',
    't-sel.late.geotech-10s',
  ]);
});
