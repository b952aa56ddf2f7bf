// SPDX-License-Identifier: Apache-2.0
// REST routes over cpp-httplib. Library exceptions stop at the route boundary.
#include "control/rest/api_server.h"

#include <httplib.h>

#include "control/rest/stats_json.h"

namespace strait::ctl {

namespace {
void json_error(httplib::Response& res, int status, const std::string& what) {
    res.status = status;
    res.set_content(nlohmann::json{{"error", what}}.dump(), "application/json");
}
}  // namespace

ApiServer::ApiServer(StatsFn stats, std::string running_config_json, Actions actions)
    : stats_(std::move(stats)), actions_(std::move(actions)),
      config_json_(std::move(running_config_json)),
      srv_(std::make_unique<httplib::Server>()) {}

ApiServer::~ApiServer() { stop(); }

void ApiServer::routes() {
    srv_->Get("/api/v1/health", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"status":"ok"})", "application/json");
    });
    srv_->Get("/api/v1/stats", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(stats_to_json(stats_()).dump(2), "application/json");
    });
    srv_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(stats_to_prometheus(stats_()), "text/plain; version=0.0.4");
    });
    srv_->Get("/api/v1/config", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(config_json_, "application/json");
    });
    srv_->Get("/api/v1/dns64/cache", [this](const httplib::Request&, httplib::Response& res) {
        const nlohmann::json s = stats_to_json(stats_());
        if (!s.contains("dns64_cache")) return json_error(res, 404, "DNS64 is not configured");
        res.set_content(s["dns64_cache"].dump(2), "application/json");
    });
    // DELETE empties the cache: the next query of every name goes upstream again.
    srv_->Delete("/api/v1/dns64/cache", [this](const httplib::Request&, httplib::Response& res) {
        if (!actions_.flush_dns64_cache || !actions_.flush_dns64_cache()) {
            return json_error(res, 404, "DNS64 is not configured");
        }
        res.set_content(R"({"flushed":true})", "application/json");
    });
    srv_->set_exception_handler([](const httplib::Request&, httplib::Response& res,
                                   std::exception_ptr ep) {
        std::string what = "internal error";
        try {
            std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        json_error(res, 500, what);
    });
}

Status ApiServer::start(const std::string& listen) {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) return invalid("/api_listen", "expected host:port");
    std::string host = listen.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    int port = 0;
    try {
        port = std::stoi(listen.substr(colon + 1));
    } catch (const std::exception&) {
        return invalid("/api_listen", "bad port in \"" + listen + "\"");
    }
    if (port <= 0 || port > 65535) return invalid("/api_listen", "port out of range");
    routes();
    if (!srv_->bind_to_port(host, port)) {
        return Error{ErrorCode::Unavailable, "/api_listen", "cannot listen on " + listen};
    }
    thread_ = std::thread([this] { srv_->listen_after_bind(); });
    return Ok{};
}

void ApiServer::stop() {
    if (srv_) srv_->stop();
    if (thread_.joinable()) thread_.join();
}

}  // namespace strait::ctl
