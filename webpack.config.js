// Builds the pre-check widget (www/) into www/dist/:
//   merchant-credit-precheck.js   the embeddable bundle: defines <merchant-credit-precheck>
//   index.html + demo.[hash].js   the demo page (static site) with an offline service worker (sw.js)
//   host.html                     a plain host page embedding the bundle by <script src>, for tests
//   [hash].js / [hash].wasm       the engine's Web Worker and the wasm module it loads
// Everything the widget needs ships in dist/: no CDN, no web font, no runtime fetch beyond these files.
//
//   npm run build:www     production build (needs pkg/: `npm run build:wasm` first)
//   npm run serve:www     development server on http://127.0.0.1:8088, /v1/* proxied to a local
//                         `merchant-credit serve` on 127.0.0.1:8080 for the official check
//
// The wasm package is resolved as `merchant-credit-wasm`; MC_PKG=path overrides the default pkg/.

const path = require('path');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const CopyWebpackPlugin = require('copy-webpack-plugin');

const www = path.resolve(__dirname, 'www');
const pkg = path.resolve(__dirname, process.env.MC_PKG || 'pkg');

/** Emits sw.js: a cache-first service worker pre-caching every file of this build. */
class OfflineServiceWorkerPlugin {
  apply(compiler) {
    const { Compilation, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap('OfflineServiceWorker', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'OfflineServiceWorker', stage: Compilation.PROCESS_ASSETS_STAGE_REPORT },
        () => {
          const files = Object.keys(compilation.assets)
            .filter((f) => !f.endsWith('.map') && !f.endsWith('.LICENSE.txt') && f !== 'sw.js')
            .sort();
          const template = require('fs').readFileSync(path.join(www, 'sw.template.js'), 'utf8');
          const version = compilation.fullHash ? compilation.fullHash.slice(0, 12) : String(Date.now());
          const body = template
            .replace('__PRECACHE__', JSON.stringify(['./', ...files]))
            .replace('__VERSION__', JSON.stringify(version));
          compilation.emitAsset('sw.js', new sources.RawSource(body));
        },
      );
    });
  }
}

module.exports = (env, argv) => {
  const production = argv.mode !== 'development';
  return {
    mode: production ? 'production' : 'development',
    context: www,
    entry: {
      'merchant-credit-precheck': './src/precheck.js',
      demo: './src/demo.js',
    },
    output: {
      path: path.join(www, 'dist'),
      // The embeddable bundle keeps a stable name so host pages can reference it; the rest is hashed.
      filename: (data) => (data.chunk.name === 'merchant-credit-precheck' ? '[name].js' : '[name].[contenthash:8].js'),
      chunkFilename: '[name].[contenthash:8].js',
      webassemblyModuleFilename: '[hash].wasm',
      publicPath: 'auto',
      clean: true,
    },
    module: {
      // The repository's package.json says "commonjs"; the widget's sources are ES modules.
      rules: [{ test: /\.js$/, include: path.join(www, 'src'), type: 'javascript/esm' }],
    },
    resolve: {
      alias: { 'merchant-credit-wasm': pkg },
    },
    experiments: { asyncWebAssembly: true },
    devtool: production ? false : 'source-map',
    performance: { hints: false },
    plugins: [
      new HtmlWebpackPlugin({
        template: './index.html',
        filename: 'index.html',
        chunks: ['demo'],
        scriptLoading: 'defer',
      }),
      new CopyWebpackPlugin({ patterns: [{ from: 'host.html' }, { from: 'favicon.svg' }] }),
      new OfflineServiceWorkerPlugin(),
    ],
    devServer: {
      host: '127.0.0.1',
      port: 8088,
      hot: false,
      liveReload: true,
      client: { overlay: { warnings: false } },
      static: false,
      proxy: [{ context: ['/v1'], target: 'http://127.0.0.1:8080' }],
    },
  };
};
