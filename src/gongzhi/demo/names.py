"""The demo's fixed names, shared by the parts that build it and the tests that find
what was built: the personas' password, and the titles of the decisions and the plan."""

DEMO_PASSWORD = "gongzhi-demo"

# The reference decision, voted online and worded as the case worded it.
REFERENCE_DECISION = "同意由纺原物业提供物业服务"
# The decision run on paper from delivery to the final result.
PAPER_DECISION = "茅台雅苑：同意与纺原物业签订物业服务合同"
# The decision still open, over the four compounds together.
OPEN_DECISION = "同意使用公共收益安装电瓶车充电桩"
# The hiring plan of the four compounds.
PLAN_TITLE = "水霞居民区四个小区物业服务企业选聘"
