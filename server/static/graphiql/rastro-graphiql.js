// Rastro's GraphiQL page: the API key field, the default tabs, and a schema fetched again on new headers.
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('rastro-graphiql-config').textContent);
  var KEY_ITEM = 'rastro:api-key';
  var keyInput = document.getElementById('rastro-key');
  // Session storage: the key (and GraphiQL's tabs) last as long as the browser session, no longer.
  keyInput.value = sessionStorage.getItem(KEY_ITEM) || '';

  var fetcher = null;
  var fetcherKey = null;
  var headersVersion = 0;

  function currentFetcher() {
    var apiKey = keyInput.value.trim();
    var identity = apiKey + '\n' + headersVersion;
    if (fetcher === null || fetcherKey !== identity) {
      // A new fetcher makes GraphiQL fetch the schema again, now with the new key or headers.
      fetcherKey = identity;
      fetcher = GraphiQL.createFetcher({
        url: config.url,
        headers: apiKey ? { Authorization: 'Bearer ' + apiKey } : {},
      });
    }
    return fetcher;
  }

  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  function render() {
    root.render(
      React.createElement(GraphiQL, {
        fetcher: currentFetcher(),
        defaultTabs: config.tabs,
        defaultEditorToolsVisibility: true,
        storage: window.sessionStorage,
        onEditHeaders: later(function () {
          headersVersion += 1;
          render();
        }),
      })
    );
  }

  function later(action) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(action, 600);
    };
  }

  keyInput.addEventListener(
    'input',
    later(function () {
      sessionStorage.setItem(KEY_ITEM, keyInput.value.trim());
      render();
    })
  );
  render();
})();
