// A notebook's code cells run through JupyterLab 4's own output pipeline: @jupyterlab/services
// talks to the kernel, @jupyterlab/outputarea keeps the outputs (display ids, updates, streams)
// and @jupyterlab/rendermime draws them, as in JupyterLab's notebook. test_jupyterlab.py opens
// this page in headless Chromium and reads window.labRun when done is true.
import { KernelManager, ServerConnection } from '@jupyterlab/services';
import { OutputArea, OutputAreaModel } from '@jupyterlab/outputarea';
import { RenderMimeRegistry, standardRendererFactories } from '@jupyterlab/rendermime';
import { Widget } from '@lumino/widgets';
import '@jupyterlab/theme-light-extension/style/variables.css';
import '@jupyterlab/outputarea/style/index.js';

const params = new URLSearchParams(location.search);
const run = (window.labRun = { done: false, error: null, cells: [], messages: {} });

function summary(output) {
  // What a cell shows, without the images' base64.
  const data = output.data || {};
  return { type: output.output_type, mimes: Object.keys(data), name: output.name, ename: output.ename,
           text: output.text || data['text/plain'] || '' };
}

async function main() {
  const settings = ServerConnection.makeSettings({ baseUrl: location.origin + '/' });
  const response = await ServerConnection.makeRequest(
    settings.baseUrl + 'api/contents/' + encodeURIComponent(params.get('notebook')) + '?content=1', {}, settings);
  const notebook = (await response.json()).content;
  const kernel = await new KernelManager({ serverSettings: settings }).startNew({ name: params.get('kernel') });
  kernel.iopubMessage.connect((_, msg) => {
    run.messages[msg.header.msg_type] = (run.messages[msg.header.msg_type] || 0) + 1;
  });
  const rendermime = new RenderMimeRegistry({ initialFactories: standardRendererFactories });
  try {
    for (const cell of notebook.cells) {
      const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
      if (cell.cell_type !== 'code' || !source.trim()) continue;
      const area = new OutputArea({ model: new OutputAreaModel({ trusted: true }), rendermime });
      area.addClass('lab-cell');
      area.node.dataset.cell = String(run.cells.length);
      Widget.attach(area, document.getElementById('cells'));
      area.future = kernel.requestExecute({ code: source, stop_on_error: true });
      const reply = await area.future.done;
      run.cells.push({ status: reply.content.status, outputs: area.model.toJSON().map(summary) });
      if (reply.content.status !== 'ok') break;
    }
  } finally {
    await kernel.shutdown();
  }
}

main().catch(e => { run.error = String((e && e.stack) || e); }).finally(() => { run.done = true; });
