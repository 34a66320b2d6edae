#pragma once
// Plain text from HTML mail bodies, through the gumbo HTML5 parser.

#include <string>
#include <string_view>

namespace rt {

/// Returns the readable text of an HTML document or fragment (UTF-8 in, UTF-8 out),
/// as a mail reader would show it:
/// - <p>, <h1>-<h6>, <pre>, <blockquote>, <table>, <hr> and top-level lists are
///   paragraphs separated by a blank line; <div>, <tr> and list items are lines of
///   their own, as browsers render them (Gmail's <div>s, one per line);
/// - Word/Outlook paragraphs (class="Mso...") are lines too, since Word styles them
///   without margins; an empty one (<o:p>&nbsp;</o:p>) is Outlook's blank line;
/// - <br> is a line break (<br><br> a blank line); table cells are separated by a space;
/// - list items start "- " ("1. " in <ol>), nested lists indent by two spaces;
/// - <blockquote> lines are prefixed "> " ("> > " when nested, ">" on blank lines);
/// - <pre> text is kept verbatim; elsewhere runs of whitespace and no-break spaces
///   collapse to one space; entities are decoded; invalid UTF-8 becomes U+FFFD.
/// Dropped entirely: <head>, <title>, <style>, <script>, <svg>, <select> and the
/// like, comments (so Outlook/Word conditional comments vanish, while the content of
/// "downlevel-revealed" <![if ...]> blocks stays), Word's <o:p> and <xml>.
/// The result is tidy: no trailing blanks on any line (except the signature
/// delimiter "-- "), at most one blank line in a row, none at either end.
///
/// Never fails: any input yields some text. Bounded work: input beyond 4 MiB is
/// ignored, and block elements nested more than 100 deep lose their structure
/// (not their text), so hostile markup cannot make the parser go quadratic.
/// Thread-safe (no shared state).
std::string HtmlToText(std::string_view html);

}  // namespace rt
