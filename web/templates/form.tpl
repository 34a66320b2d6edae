{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<h1>{{HEADING}}</h1>
{{#INTRO}}<p>{{TEXT}}</p>{{/INTRO}}
{{#ERROR}}<p class="error" role="alert">{{TEXT}}</p>{{/ERROR}}
{{#NOTICE}}<p class="notice" role="status">{{TEXT}}</p>{{/NOTICE}}
{{#QUOTED}}<blockquote class="parent">{{TEXT}}</blockquote>{{/QUOTED}}
{{#FORM}}<section class="form-box{{#DANGER}} danger{{/DANGER}}">
{{#FORM_HEADING}}<h2>{{TEXT}}</h2>{{/FORM_HEADING}}
{{#FORM_INTRO}}<p>{{TEXT}}</p>{{/FORM_INTRO}}
<form method="post" action="{{ACTION}}"{{#MULTIPART}} enctype="multipart/form-data"{{/MULTIPART}}>
<input type="hidden" name="csrf" value="{{CSRF}}">
{{#HIDDEN}}<input type="hidden" name="{{NAME}}" value="{{VALUE}}">
{{/HIDDEN}}{{#FIELD}}<p class="field">
{{#CHECKBOX}}<label><input type="checkbox" id="{{ID}}" name="{{NAME}}" value="1"{{#CHECKED}} checked{{/CHECKED}}> {{LABEL}}</label>{{/CHECKBOX}}
{{#LABELLED}}<label for="{{ID}}">{{LABEL}}</label>
{{#INPUT}}<input id="{{ID}}" name="{{NAME}}" type="{{TYPE}}" value="{{VALUE}}"{{#REQUIRED}} required{{/REQUIRED}}{{#AUTOCOMPLETE}} autocomplete="{{AUTO}}"{{/AUTOCOMPLETE}}{{#ACCEPT}} accept="{{TYPES}}"{{/ACCEPT}}{{#MULTIPLE}} multiple{{/MULTIPLE}}{{#DESCRIBED}} aria-describedby="{{ID}}-help"{{/DESCRIBED}}>{{/INPUT}}
{{#TEXTAREA}}<textarea id="{{ID}}" name="{{NAME}}" rows="14"{{#REQUIRED}} required{{/REQUIRED}}{{#DESCRIBED}} aria-describedby="{{ID}}-help"{{/DESCRIBED}}>{{VALUE}}</textarea>{{/TEXTAREA}}
{{#SELECT}}<select id="{{ID}}" name="{{NAME}}"{{#DESCRIBED}} aria-describedby="{{ID}}-help"{{/DESCRIBED}}>{{#OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{TEXT}}</option>{{/OPTION}}</select>{{/SELECT}}
{{/LABELLED}}{{#HELP}}<small id="{{ID}}-help">{{TEXT}}</small>{{/HELP}}
</p>
{{/FIELD}}<button type="submit">{{SUBMIT}}</button>
</form>
</section>
{{/FORM}}{{#LINK}}<p><a href="{{URL}}">{{TEXT}}</a></p>
{{/LINK}}{{>FOOTER}}
