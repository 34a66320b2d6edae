#pragma once
// "Reply by email": a mailto: link to the list that threads under the message.

#include <string>
#include <string_view>

namespace rt {

/// The list's posting address from a raw message's List-Post header (RFC 2369); "" when
/// there is none (To: may name a person, whose address must not be published).
/// Only the header block is read.
std::string ListPostAddress(std::string_view raw_message);

/// mailto:ADDRESS?subject=Re: ...&In-Reply-To=<id>&References=<...> (RFC 6068),
/// percent-encoded; the address may be empty (the mail program then asks for one).
std::string ReplyMailto(std::string_view address, std::string_view subject, std::string_view message_id,
                        std::string_view references);

}  // namespace rt
