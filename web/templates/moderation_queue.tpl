{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<h1>{{HEADING}}</h1>
<p class="meta"><a href="{{LOG_URL}}">[[Public moderation log]]</a></p>
{{#EMPTY}}<p>[[Nothing is waiting for a moderator.]]</p>{{/EMPTY}}
{{#HELD}}<article class="held" id="held{{ID}}" aria-labelledby="held{{ID}}-h">
<h2 id="held{{ID}}-h">{{SUBJECT}}</h2>
<p class="meta">{{SENDER}} · {{LIST}} · <time datetime="{{DATE_ISO}}">{{DATE}}</time> · {{SOURCE}}</p>
<p class="reason">[[Held because:]] {{REASON}}</p>
<pre class="preview">{{PREVIEW}}</pre>
<form method="post" action="{{ACTION}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="held" value="{{ID}}">
<p class="field"><label for="reason{{ID}}">[[Reason (shown in the public log)]]</label>
<input id="reason{{ID}}" name="reason" type="text" maxlength="500"></p>
<p class="decisions">
<button type="submit" name="decision" value="approve">[[Approve]]</button>
<button type="submit" name="decision" value="reject">[[Reject]]</button>
<button type="submit" name="decision" value="spam">[[Reject as spam]]</button>
</p>
</form>
</article>
{{/HELD}}{{>FOOTER}}
