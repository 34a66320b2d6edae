{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<h1>{{LIST_NAME}}</h1>
<p class="meta">{{SUMMARY}} · <a href="{{FEED_URL}}">[[Atom feed]]</a> · <a class="new-thread" href="{{NEW_THREAD_URL}}" rel="nofollow">[[New thread]]</a></p>
{{#SUBSCRIPTION}}<form class="subscription" method="post" action="{{ACTION}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="sub-mode">[[Mail from this list]]</label>
<select id="sub-mode" name="mode">{{#MODE}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{TEXT}}</option>{{/MODE}}</select>
<button type="submit">[[Save]]</button>
</form>{{/SUBSCRIPTION}}
{{#NO_THREADS}}<p>[[No threads yet.]]</p>{{/NO_THREADS}}
{{#MONTH}}
<section class="month">
<h2>{{MONTH_NAME}}</h2>
<ul class="threads">
{{#THREAD}}<li><a class="subject" href="{{THREAD_URL}}">{{SUBJECT}}</a>
<span class="meta">{{STARTED_BY}} · {{REPLIES}} · {{PARTICIPANTS}} · <time datetime="{{LAST_ISO}}">{{LAST}}</time></span></li>
{{/THREAD}}
</ul>
</section>
{{/MONTH}}
{{#MORE}}<nav class="pager" aria-label="[[Pages]]"><a rel="next" href="{{NEXT_URL}}">[[Older threads]] →</a></nav>{{/MORE}}
{{>FOOTER}}
