import { serve, launch } from './harness.mjs';
const srv = await serve();
const { context, close } = await launch();
const page = await context.newPage();
page.on('crash', () => console.log('CRASH'));
page.on('close', () => console.log('CLOSE'));
context.on('page', (p) => console.log('NEW PAGE', p.url()));
page.on('console', (m) => console.log('console:', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
page.on('worker', (w) => { console.log('worker', w.url()); w.on('console', m => console.log('wconsole', m.text())); });
await page.goto(`${srv.origin}/index.html?lang=en`);
await new Promise(r=>setTimeout(r,1000));
console.log('before');
const h = await page.$('merchant-credit-precheck #file');
console.log('handle', !!h);
await h.setInputFiles('/work/main/examples/store.json');
console.log('after set');
for (let i=0;i<10;i++){ await new Promise(r=>setTimeout(r,500)); try { console.log(await page.evaluate(() => document.querySelector('merchant-credit-precheck')?.dataset.state)); } catch(e) { console.log('E', e.message.slice(0,100)); break; } }
await close(); await srv.close();
