# Varnish in front of the integration hub (docs/edge-caching.md).
#
# Keeps anonymous GET/HEAD answers as long as the app's Cache-Control allows
# (s-maxage, else max-age) and drops them the moment the app purges their surrogate
# keys (the `xkey` response header, vmod xkey from Debian's varnish-modules):
#
#   PURGE / HTTP/1.1
#   xkey-purge: item-42 list-events list-all
#
# The app servers are declared in backends.vcl next to this file (see
# backends.vcl.example): it defines the director `hub_app`.
vcl 4.1;

import xkey;

include "./backends.vcl";

# Who may purge: the app servers. Keep this to the hosts that run the hub.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    set req.backend_hint = hub_app.backend();

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge) {
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.n-gone + " objects"));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Per user: the admin (and previews), documents behind Wagtail's permission
    # checks, anyone signed in, with a session (page passwords) or a CSRF token.
    if (req.url ~ "^/(admin|documents)(/|$)"
        || req.http.Authorization
        || req.http.Cookie ~ "(^|;\s*)(sessionid|csrftoken)=") {
        return (pass);
    }
    # Any other cookie (analytics, consent) means nothing to the hub: one copy for all.
    unset req.http.Cookie;
    # Only the app's own validators count: a client's If-None-Match/If-Modified-Since
    # is answered here from the stored copy (304) or passed on with the fetch.
    return (hash);
}

sub vcl_backend_response {
    # Never keep what the app marks as per user, what sets a cookie, or what says
    # nothing about caching (Varnish's default TTL would keep it 2 minutes).
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
        || beresp.http.Cache-Control !~ "(?i)(public|max-age)"
        || beresp.http.Vary == "*") {
        set beresp.uncacheable = true;
        set beresp.ttl = 30s;
        return (deliver);
    }
    # After the TTL: 10 s of grace (stale while one fetch revalidates), and the copy
    # is kept an hour for conditional fetches (the app answers 304 when unchanged).
    set beresp.grace = 10s;
    set beresp.keep = 1h;
    return (deliver);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The keys are for purging here, not for clients.
    unset resp.http.xkey;
}

sub vcl_synth {
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    set resp.body = resp.reason;
    return (deliver);
}
