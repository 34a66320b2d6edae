#pragma once
// Plain text from HTML mail bodies, through the gumbo HTML5 parser.

#include <string>
#include <string_view>

namespace rt {

/// Returns the readable text of an HTML document or fragment (UTF-8 in, UTF-8 out),
/// as a mail reader would show it: block elements (p, div, tr, li, h1-h6 ...) become
/// paragraphs separated by a blank line, <br> a line break, list items start "- ",
/// <blockquote> lines are prefixed "> ", <pre> is kept verbatim, runs of whitespace
/// elsewhere collapse to one space, entities are decoded. Dropped entirely: <head>,
/// <style>, <script>, comments (so Outlook/Word conditional comments vanish),
/// Word's <o:p> empty paragraphs. Never fails: any input yields some text.
std::string HtmlToText(std::string_view html);

}  // namespace rt
