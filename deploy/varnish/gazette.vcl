# Varnish in front of Gazette (optional: nginx or a CDN alone also works; see docs/deploy.md).
#
# - Honours Gazette's caching headers: Cache-Control s-maxage and stale-while-revalidate decide
#   how long pages live and are served while refreshed; responses marked private, no-store, or setting a
#   cookie are never stored (Varnish's built-in rules), nor are responses with no Cache-Control
#   at all (made before Gazette's page cache, such as the redirect to HTTPS).
# - Purges exactly by surrogate key: Gazette (gazette.core.frontend_cache.VarnishBackend) sends
#   `PURGE /` with `xkey-purge: article:12 front city:omsk`; every object whose `xkey` response
#   header names one of those tags is banned. Bans test only obj.* so the ban lurker clears them
#   in the background (no vmod needed; Debian's varnish package has no xkey vmod).
#   A PURGE without xkey-purge purges the URL (Wagtail's own page purges).
# - City editions: the `gazette_edition` cookie becomes the request header
#   X-Gazette-Edition, so pages that `Vary: X-Gazette-Edition` (the front) keep one copy per edition
#   and all other pages one copy for everybody.
# - Anonymous readers' cookies are dropped except where they matter (admin, comment form);
#   signed-in editors (a session cookie) always go to Gazette.
#
# Start:  deploy/systemd/varnish.service.d/gazette.conf (readers on 6081, purges on 6083), with the
#         run-time parameters of deploy/varnish/gazette.params
# Gazette: GAZETTE_VARNISH_URL=http://127.0.0.1:6083 (the `purge` listener, the only one taking
# purges: behind nginx or a CDN, readers reach the other one from loopback too).

vcl 4.1;

import std;

backend gazette {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

# Who may purge: Gazette's web and worker processes, on the `purge` listener only (see Start).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        # Readers' requests come through nginx or a CDN, from loopback like Gazette's own:
        # the address proves nothing unless the request came to the listener readers never reach.
        if (local.socket != "purge" || client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (req.http.xkey-purge) {
            # Tags are words like article:12 or city:novosibirsk; refuse anything that would
            # be a regular expression. (The ban's regex is unquoted and has no spaces: quotes
            # would become part of it.)
            if (req.http.xkey-purge !~ "^[A-Za-z0-9:_-]+( [A-Za-z0-9:_-]+)*$") {
                return (synth(400, "Bad xkey-purge"));
            }
            if (std.ban("obj.http.xkey ~ (^|\s)(" + regsuball(req.http.xkey-purge, " ", "|") + ")(\s|$)")) {
                return (synth(200, "Banned"));
            }
            return (synth(400, std.ban_error()));
        }
        return (purge);
    }

    # Tracking parameters (campaign tags, click ids) are read by analytics in the browser, never
    # by a page: without them, a story shared with a click id per reader is one object, not one
    # per reader (Gazette's own cache ignores the same names).
    if (req.url ~ "(?i)[?&](utm_\w+|fbclid|gclid|gbraid|wbraid|dclid|msclkid|yclid|ysclid|igshid|mc_cid|mc_eid|_openstat)(=|&|$)") {
        set req.url = regsuball(req.url, "(?i)(?<=[?&])(utm_\w+|fbclid|gclid|gbraid|wbraid|dclid|msclkid|yclid|ysclid|igshid|mc_cid|mc_eid|_openstat)(=[^&]*)?(&|$)", "");
        set req.url = regsub(req.url, "[?&]+$", "");
    }

    unset req.http.X-Gazette-Edition;
    # A city's slug (Django's SlugField: letters, digits, hyphens, underscores).
    if (req.http.Cookie ~ "(^|;\s*)gazette_edition=[A-Za-z0-9_-]{1,100}(;|$)") {
        set req.http.X-Gazette-Edition = regsub(req.http.Cookie, "^(.*;\s*)?gazette_edition=([A-Za-z0-9_-]+).*$", "\2");
    } else {
        set req.http.X-Gazette-Edition = "";
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|django-admin|comments)/") {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        # A signed-in editor (or a reader with a pending message): personal pages.
        return (pass);
    }
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # Pages are kept compressed, so a cached page is compressed once, when it is fetched, not
    # for every reader: Varnish sends the gzip to every browser (they all ask for it), and
    # nginx in front passes it on instead of compressing each answer again. The few clients
    # that do not take gzip get it uncompressed by Varnish. Gazette's page cache sends its own
    # gzip; this compresses other text Varnish keeps. Passes (editors, the comment form) are
    # left to nginx, as when there is no Varnish.
    if (!bereq.uncacheable && !beresp.http.Content-Encoding &&
        beresp.http.Content-Type ~ "(?i)^(text/|application/([a-z.+-]*\+)?(xml|json|javascript))") {
        set beresp.do_gzip = true;
    }
    # Gazette marks what caches may keep (public, s-maxage) and what they may not (private,
    # no-store). An answer with no Cache-Control was made before Gazette's page cache, such as
    # the redirect to HTTPS: kept, it would answer HTTPS readers too (the key has no scheme).
    if (!beresp.http.Cache-Control) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Varnish takes its grace from stale-while-revalidate; stale-if-error keeps expired
    # objects around so Varnish revalidates them with Gazette's ETag (a cheap 304).
    if (beresp.http.Cache-Control ~ "stale-if-error=\d+") {
        set beresp.keep = std.duration(regsub(beresp.http.Cache-Control, ".*stale-if-error=(\d+).*", "\1") + "s", 0s);
    }
    # Gazette varies on Cookie for signed-in users; Varnish only stores anonymous responses,
    # whose cookies were removed in vcl_recv, so that Vary would only split the cache.
    if (beresp.http.Vary) {
        set beresp.http.Vary = regsuball(beresp.http.Vary, "(?i)(^|,)\s*Cookie\s*(,|$)", "\1");
        set beresp.http.Vary = regsub(beresp.http.Vary, "^,|,$", "");
        if (beresp.http.Vary == "") {
            unset beresp.http.Vary;
        }
    }
    # Gazette answers an edition that names no city with All Cities and says so in its
    # X-Gazette-Edition response header: kept under the made-up value, every value a client
    # invents would be one more copy of the front page. Such answers are not kept at all.
    if (beresp.http.Vary ~ "(?i)(^|,)\s*X-Gazette-Edition\s*(,|$)" &&
        beresp.http.X-Gazette-Edition != bereq.http.X-Gazette-Edition) {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        set beresp.grace = 0s;
        set beresp.keep = 0s;
        return (deliver);
    }
    # No return: Varnish's built-in rules follow (no caching of private, no-store or
    # Set-Cookie responses). The ban lurker tests obj.http.xkey, so it stays on the object.
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # Browsers never send X-Gazette-Edition: for them the edition is the cookie, so a browser
    # that has just chosen a city does not reuse its copy of the All Cities front.
    if (resp.http.Vary ~ "(?i)X-Gazette-Edition") {
        set resp.http.Vary = regsuball(resp.http.Vary, "(?i)X-Gazette-Edition", "Cookie");
    }
    # Surrogate keys are for caches; readers do not need them.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
}
