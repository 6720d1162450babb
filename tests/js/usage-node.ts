// Type-checked by `tsc --noEmit -p tests/js/tsconfig.node.json` (scripts/test.d/30-wasm.sh): the
// Node.js package (pkg/node, feature js-backoffice) has the browser API plus the back-office
// methods: in-loan monitoring, schedules, servicing, and flat-record scoring.
import { store } from "./store-fixture.js";
import { Engine } from "merchant-credit";
import type { Decision } from "merchant-credit";
import type { MonitorReport, Schedule, ServicingReport, PortfolioReport, FlatScore } from "merchant-credit";

const engine = new Engine();
const d: Decision = engine.evaluate(store);
const mon: MonitorReport = engine.monitor({ store, previous: d, outstanding: 1000 });
const series: MonitorReport[] = engine.monitorSeries({ snapshots: [{ store }, { store, outstanding: 500 }] });
const sched: Schedule = engine.schedule({ method: "installments", principal: 12000, annual_rate: 0.18, installments: 6, start: "2025-07-01" });
const serv: ServicingReport | PortfolioReport = engine.servicing({ as_of: "2025-09-01", schedule: sched, payments: [{ paid_on: "2025-08-01", amount: 2100 }] });
const scores: FlatScore[] = engine.score([{ refund_rate_90d: 0.01, store_age_months: 30, note: "x", flag: true, gap: null }]);
const firstGrade: string = scores[0].grade;
const report: Record<string, unknown> | undefined = new Engine().modelInfo().training_report;
void [mon.reassessment.new_line, series.length, sched.apr, serv.as_of, firstGrade, report, engine.score("a,b\n1,2\n")];
// @ts-expect-error: a schedule needs a method
engine.schedule({ principal: 1000, start: "2025-07-01" });
