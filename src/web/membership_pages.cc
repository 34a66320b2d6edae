// Joining and leaving lists on the web. One-click unsubscribe (RFC 8058): the signed
// link from List-Unsubscribe; a mail client POSTs "List-Unsubscribe=One-Click" to it, a
// person opening it gets a button. Confirmation links for joining or leaving by mail.
// In both, a link scanner's GET changes nothing.

#include "gateway/membership.h"
#include "gateway/unsubscribe_link.h"
#include "web/form_page.h"

namespace rt {

Result<Page> UnsubscribePage(const PageContext& ctx) {
  std::int64_t list_id = ctx.url.IntParam("l", 0);
  std::string address = ctx.url.Param("a"), signature = ctx.url.Param("s");
  if (!UnsubscribeSignatureValid(ctx.site->signing_key, list_id, address, signature))
    return Status::InvalidArgument(ctx.T("This unsubscribe link is not valid. Use the one in a recent message from the list."));
  Result<ListInfo> list = ctx.store.ListById(list_id);
  if (!list.ok()) return list.status();
  FormPageSpec spec;
  spec.title = FillPlaceholder(ctx.T("Leave {list}"), "{list}", list.value().name);
  if (ctx.form) {
    Status s = ctx.store.Unsubscribe(list.value().forum, list.value().name, address);
    if (!s.ok()) return s;
    spec.notice = FillPlaceholder(ctx.T("{address} will get no more mail from this list."), "{address}", address);
    spec.links = {{ctx.T("Back to the list"), ListUrl(list.value().forum, list.value().name)}};
    return RenderFormPage(ctx, spec);
  }
  spec.intro = FillPlaceholder(ctx.T("Stop sending this list's mail to {address}?"), "{address}", address);
  FormSpec form;
  form.action = ctx.url.encoded_path + "?l=" + std::to_string(list_id) + "&a=" + EncodeQueryValue(address) + "&s=" +
                EncodeQueryValue(signature);
  form.submit = ctx.T("Unsubscribe");
  spec.forms.push_back(std::move(form));
  return RenderFormPage(ctx, spec);
}

std::vector<std::pair<std::string, std::string>> SubscriptionModes(const PageContext& ctx) {
  return {{"leave", ctx.T("None (not subscribed)")},
          {"each", ctx.T("Every message")},
          {"digest", ctx.T("Daily digest")},
          {"digest-plain", ctx.T("Daily digest, plain text")},
          {"none", ctx.T("None, but subscribed (post by mail)")}};
}

Result<Page> SubscriptionPage(const PageContext& ctx, const std::string& forum, const std::string& list) {
  const UserInfo* user = ctx.user();
  if (!user) return SeeOther("/signin?back=" + EncodeQueryValue(ListUrl(forum, list)));
  if (!ctx.form) return SeeOther(ListUrl(forum, list));
  std::string mode = ctx.form->Get("mode");
  bool known = false;
  for (const auto& [value, text] : SubscriptionModes(ctx)) known |= value == mode;
  if (!known) return Status::InvalidArgument(ctx.T("Choose how this list's mail should reach you."));
  // The account's address was confirmed when it signed up: no further round trip.
  Status s = mode == "leave" ? ctx.store.Unsubscribe(forum, list, user->email)
                             : ctx.store.Subscribe(forum, list, user->email, mode);
  if (!s.ok()) return s;
  return SeeOther(ListUrl(forum, list));
}

Result<Page> ConfirmMembershipPage(const PageContext& ctx) {
  std::string token = LinkToken(ctx);
  FormPageSpec spec;
  spec.title = ctx.T("Confirm");
  if (ctx.form) {
    Result<std::string> done = ConfirmMembershipChange(ctx.store, ctx.site->mail, token);
    if (!done.ok()) {
      if (done.status().code() != Status::Code::kNotFound) return done.status();
      spec.error = ctx.T("This link is unknown, expired or already used.");
      spec.status = 400;
    } else {
      spec.notice = done.value();
    }
    return RenderFormPage(ctx, spec);
  }
  return ConfirmButtonPage(ctx, ctx.T("Confirm"), "/confirm", ctx.T("Confirm"));
}

}  // namespace rt
