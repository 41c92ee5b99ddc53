# Sourced by scripts/bootstrap.sh: install the web app's front-end libraries from npm, at the
# versions pinned in frontend/package-lock.json, and copy their browser builds to where the app
# serves them (src/probity/web/static/vendor). The app never loads anything from a CDN.
VENDOR=src/probity/web/static/vendor
if ! command -v npm >/dev/null 2>&1; then
  echo "the web app's charts and graphs need Node.js and npm: sudo apt-get install npm" >&2
  exit 1
fi
if [ ! -f "$VENDOR/.lock" ] || ! cmp -s frontend/package-lock.json "$VENDOR/.lock"; then
  echo "installing the web app's front-end libraries (npm ci)" >&2
  npm ci --prefix frontend --no-audit --no-fund --loglevel=error >/dev/null
  mkdir -p "$VENDOR"
  cp frontend/node_modules/vega/build/vega.min.js \
     frontend/node_modules/vega-lite/build/vega-lite.min.js \
     frontend/node_modules/vega-embed/build/vega-embed.min.js \
     frontend/node_modules/vega-interpreter/build/vega-interpreter.min.js \
     frontend/node_modules/cytoscape/dist/cytoscape.min.js \
     frontend/node_modules/swagger-ui-dist/swagger-ui-bundle.js \
     frontend/node_modules/swagger-ui-dist/swagger-ui.css \
     frontend/node_modules/redoc/bundles/redoc.standalone.js "$VENDOR/"
  cp frontend/package-lock.json "$VENDOR/.lock"
fi
