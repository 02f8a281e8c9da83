# Serves probe.html and stores what the page POSTs to /result as $OUT/probe-result.json. Loopback only,
# inside the pj-fanout namespace (capture-sdp.sh starts and ends it).
import http.server
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1]


class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=HERE, **kwargs)

    def do_POST(self):
        body = self.rfile.read(int(self.headers['Content-Length']))
        with open(os.path.join(OUT, 'probe-result.json.part'), 'wb') as f:
            f.write(body)
        os.replace(os.path.join(OUT, 'probe-result.json.part'), os.path.join(OUT, 'probe-result.json'))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(('127.0.0.1', 8099), Handler).serve_forever()
