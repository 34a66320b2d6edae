#pragma once
// The JSON API under /api/v1: forums, lists, threads, messages, people, search, stats.
// Listings page with opaque cursors ("next_cursor"); every error has one shape:
// {"error": {"code": "not_found", "message": "..."}}. web/openapi.json describes it.

#include <string>
#include <vector>

#include "web/pages.h"

namespace rt {

/// Answers a GET below /api/v1; `path` is what follows it ("/forums/igf/lists").
/// Never fails: errors are JSON pages with their status.
Page ApiPage(const PageContext& ctx, const std::vector<std::string>& segments_after_v1);

/// The error body for a status and message, for errors found before routing (429...).
std::string ApiErrorBody(int status, const std::string& message);

/// Every route, as OpenAPI path templates ("/forums/{forum}/lists"), for the test that
/// keeps web/openapi.json true.
std::vector<std::string> ApiRoutePatterns();

}  // namespace rt
