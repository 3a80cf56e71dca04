// A Swagger UI plugin, served to the browser with /api/docs. Swagger UI shows an audio
// answer as <audio src="the request's URL">: the browser then sends a GET to a POST route
// (405) and the player stays at 0:00. This plugin plays the answer's own bytes (an object
// URL of the response blob) and offers them for download under the name the hub gave.
(function () {
  'use strict';
  var bundle = window.SwaggerUIBundle;
  if (typeof bundle !== 'function') return;

  var EXTENSIONS = { 'audio/wav': 'wav', 'audio/x-wav': 'wav', 'audio/mpeg': 'mp3', 'audio/flac': 'flac', 'audio/ogg': 'opus', 'audio/opus': 'opus', 'audio/pcm': 'pcm', 'audio/aac': 'aac' };

  function headerOf(headers, name) {
    if (!headers) return undefined;
    if (typeof headers.get === 'function') return headers.get(name) || headers.get(name.toLowerCase());
    return headers[name] || headers[name.toLowerCase()];
  }

  function fileNameOf(headers, contentType) {
    var disposition = headerOf(headers, 'content-disposition') || '';
    var match = /filename="?([^";]+)"?/i.exec(disposition);
    if (match) return match[1];
    var type = String(contentType).split(';')[0].trim().toLowerCase();
    return 'result.' + (EXTENSIONS[type] || 'audio');
  }

  function AudioResults(system) {
    var React = system.React;
    var h = React.createElement;

    function AudioResult(props) {
      var url = React.useMemo(function () { return URL.createObjectURL(props.blob); }, [props.blob]);
      React.useEffect(function () { return function () { URL.revokeObjectURL(url); }; }, [url]);
      var name = fileNameOf(props.headers, props.contentType);
      return h('div', { className: 'hub-audio-result' },
        h('audio', { controls: true, src: url, 'data-hub-audio': 'result' }),
        h('div', null, h('a', { href: url, download: name, className: 'download-contents' }, 'Download ' + name)));
    }

    return {
      wrapComponents: {
        responseBody: function (Original) {
          return function HubResponseBody(props) {
            var isAudio = props.content instanceof Blob && /^audio\//i.test(props.contentType || '');
            return isAudio ? h(AudioResult, { blob: props.content, contentType: props.contentType, headers: props.headers }) : h(Original, props);
          };
        },
      },
    };
  }

  // swagger-ui-express's init script calls SwaggerUIBundle(options) once the page has
  // loaded; this adds the plugin to whatever plugins it passes.
  window.SwaggerUIBundle = Object.assign(function (options) {
    return bundle(Object.assign({}, options, { plugins: (options.plugins || []).concat([AudioResults]) }));
  }, bundle);
})();
