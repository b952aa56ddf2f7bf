// SPDX-License-Identifier: Apache-2.0
// The REST control plane (cpp-httplib): stats, metrics, health and the running config.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "strait/util/result.h"
#include "strait/util/stats.h"

namespace httplib {
class Server;
}

namespace strait::ctl {

class ApiServer {
public:
    using StatsFn = std::function<StatsSnapshot()>;
    /// Operations on the running dataplane; each is called from the HTTP thread.
    struct Actions {
        /// Empties the DNS64 cache; false when DNS64 is not configured.
        std::function<bool()> flush_dns64_cache;
    };

    /// `stats` is called from the HTTP thread; it must only read lcore counters.
    ApiServer(StatsFn stats, std::string running_config_json, Actions actions = {});
    ~ApiServer();

    /// Binds "host:port" ("[::1]:8080" for IPv6) and serves on its own thread.
    /// Fails (config unchanged) when the address is bad or in use. Thread: main.
    Status start(const std::string& listen);
    /// Stops serving and joins the thread. Thread: main.
    void stop();

private:
    void routes();

    StatsFn stats_;
    Actions actions_;
    std::string config_json_;
    std::unique_ptr<httplib::Server> srv_;
    std::thread thread_;
};

}  // namespace strait::ctl
