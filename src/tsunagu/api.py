"""The NinjaAPI instance; each app's routers are added from the plugin registry.

Every operation needs a signed-in user (session with CSRF, or an API token) and is
rate-limited, unless it says otherwise (the directory's public endpoints say
``auth=None``). See :mod:`tsunagu.core.api` for tokens, limits and error bodies.
"""

from django.apps import apps
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from tsunagu import __version__
from tsunagu.core.api.auth import default_auth, default_throttles
from tsunagu.core.api.errors import install_error_handlers
from tsunagu.core.plugins import api_mounts, load_callable

DESCRIPTION = """
つなぐ（Tsunagu）の REST API です。地域の団体・人・地域資源（社会資源）の情報を読み書きできます。

## 認証
- **公開情報**（`/api/v1/directory/public/…`）はログイン不要です。
- それ以外は、ブラウザーのログイン（セッション。書き込みには `X-CSRFToken` ヘッダーが必要）か、
  **API トークン**が必要です。トークンは `POST /api/v1/auth/token` にユーザー名とパスワードを送ると
  発行され、`Authorization: Bearer <トークン>` ヘッダーで送ります。
- トークンの有効期間は既定で90日です。発行したトークンは `GET /api/v1/account/tokens` で一覧でき、
  `DELETE /api/v1/account/tokens/{id}` かアカウントのページで1つずつ失効させられます。パスワードを
  変更するか利用を停止すると、その利用者のトークンはすべて無効になります。

## 見える範囲
画面と同じです。他の市町村の「関係者」「内部」の情報は、存在していても 404 になります。
見ることはできても変更できない情報の変更は 403 になります。書き込みはすべて変更履歴に残ります。

## 回数制限
ログインなしのアクセスは、アクセス元ごとに既定で1分あたり60回までです（`TSUNAGU_API_ANON_RATE`）。
超えると 429 と `Retry-After` ヘッダーを返します。

## エラー
`{"detail": "日本語のメッセージ", "code": "…", "errors": [{"field": "項目名", "label": "項目の日本語名",
"message": "…"}]}` の形で返します。入力の誤りは 422、見つからない場合は 404、権限がない場合は 403 です。

## 日付
日付は西暦（`2024-10-01`）のほか、和暦（`令和6年10月1日`、`R6.10.1`）でも指定できます。応答は西暦です。
"""


class JapaneseJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Japanese written as is (readable with curl), not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="つなぐ Tsunagu API",
    version=__version__,
    description=DESCRIPTION,
    urls_namespace="api",
    auth=default_auth(),
    throttle=default_throttles(),
    renderer=JapaneseJSONRenderer(),
)
install_error_handlers(api)


def _register_routers() -> None:
    """Every app's routers, as the apps registered them in their ``AppConfig.ready()``."""
    apps.check_apps_ready()  # an API built before the apps are ready would be empty
    for mount in api_mounts():
        api.add_router(mount.prefix, load_callable(mount.router))


_register_routers()
